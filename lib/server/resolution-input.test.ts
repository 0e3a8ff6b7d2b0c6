import { describe, expect, it } from "vitest";
import { MAX_RESOLUTION_BODY_BYTES, readResolutionRequest } from "./request-input";

const GOMOD = "module example.com/app\n\ngo 1.21\n\nrequire github.com/golang-jwt/jwt/v5 v5.3.1\n";

const json = (body: unknown, type = "application/json") =>
  new Request("http://x/api/resolutions", { method: "POST", headers: { "content-type": type }, body: typeof body === "string" ? body : JSON.stringify(body) });

function multipart(parts: Record<string, string | Uint8Array>): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    // A string is a form field, bytes a file upload (what curl -F name=@file sends).
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([Buffer.from(value)]), name);
  }
  return new Request("http://x/api/resolutions", { method: "POST", body: form });
}

describe("readResolutionRequest", () => {
  it("reads JSON and multipart bodies alike", async () => {
    expect(await readResolutionRequest(json({ gomod: GOMOD }))).toEqual({ ok: true, value: { gomod: GOMOD, gosum: null, zips: false } });
    expect(await readResolutionRequest(json({ gomod: GOMOD, gosum: "x v1.0.0/go.mod h1:abc=\n", zips: true }))).toEqual({
      ok: true,
      value: { gomod: GOMOD, gosum: "x v1.0.0/go.mod h1:abc=\n", zips: true },
    });
    const file = await readResolutionRequest(multipart({ "go.mod": new TextEncoder().encode(GOMOD), "go.sum": new TextEncoder().encode("") }));
    expect(file).toEqual({ ok: true, value: { gomod: GOMOD, gosum: "", zips: false } });
    // A text field (not a file) travels with CRLF line ends, as form encoding prescribes; go.mod reading takes both.
    expect(await readResolutionRequest(multipart({ "go.mod": GOMOD, zips: "true" }))).toEqual({ ok: true, value: { gomod: GOMOD.replace(/\n/g, "\r\n"), gosum: null, zips: true } });
  });

  it.each([
    ["a wrong content type", () => json({ gomod: GOMOD }, "text/plain"), 415, 'expected Content-Type: application/json or multipart/form-data, got "text/plain"'],
    ["invalid JSON", () => json("{gomod:"), 400, "request body is not valid JSON"],
    ["an array", () => json([GOMOD]), 400, /^request body must be a JSON object like/],
    ["no gomod", () => json({ gosum: "" }), 400, '"gomod" is required: the text of a go.mod'],
    ["gomod a number", () => json({ gomod: 3 }), 400, '"gomod" must be a string'],
    ["gosum a number", () => json({ gomod: GOMOD, gosum: 3 }), 400, '"gosum" must be a string'],
    ["zips a string", () => json({ gomod: GOMOD, zips: "yes" }), 400, '"zips" must be true or false'],
    ["unknown fields", () => json({ gomod: GOMOD, mirrors: ["a"] }), 400, "unexpected field(s): mirrors"],
    ["an empty go.mod", () => json({ gomod: "  \n" }), 400, "go.mod is empty"],
    ["a go.mod with a NUL byte", () => json({ gomod: "module x\u0000" }), 400, "go.mod is a binary file, not a go.mod"],
    ["a body over the cap", () => json({ gomod: "x".repeat(MAX_RESOLUTION_BODY_BYTES + 1) }), 413, `request body is larger than ${MAX_RESOLUTION_BODY_BYTES} bytes`],
    ["a multipart body without go.mod", () => multipart({ "go.sum": "x" }), 400, 'the multipart body has no part named "go.mod" (curl -F go.mod=@go.mod)'],
    ["a multipart binary go.mod", () => multipart({ "go.mod": new Uint8Array([0xff, 0xfe, 0x00, 0x01]) }), 400, "go.mod is not UTF-8 text"],
    ["a multipart extra part", () => multipart({ "go.mod": GOMOD, "go.work": "x" }), 400, "unexpected part(s): go.work (send go.mod, and optionally go.sum and zips)"],
    ["a multipart body with go.mod twice", () => {
      const form = new FormData();
      form.append("go.mod", new Blob([GOMOD]), "go.mod");
      form.append("go.mod", new Blob(["module other\n"]), "go.mod");
      return new Request("http://x/api/resolutions", { method: "POST", body: form });
    }, 400, 'the multipart body has 2 parts named "go.mod": send one'],
    ["a multipart zips that is not a boolean", () => multipart({ "go.mod": GOMOD, zips: "1" }), 400, '"zips" must be true or false'],
  ] as const)("refuses %s", async (_name, request, status, error) => {
    const result = await readResolutionRequest(request());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(status);
    if (typeof error === "string") expect(result.error).toBe(error);
    else expect(result.error).toMatch(error);
  });
});
