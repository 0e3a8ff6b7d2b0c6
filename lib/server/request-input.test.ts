import { describe, expect, it } from "vitest";
import { checkRequestSchema, firstIssue, MAX_JSON_BODY_BYTES, modulePathSchema, readJsonObject, suggestQuerySchema } from "./request-input";

const issue = (schema: { safeParse(v: unknown): { success: true } | { success: false; error: Parameters<typeof firstIssue>[0] } }, value: unknown): string | null => {
  const r = schema.safeParse(value);
  return r.success ? null : firstIssue(r.error);
};

describe("modulePathSchema: a module path from outside, in the go command's words", () => {
  it.each([
    ["", "empty module path"],
    ["   ", "empty module path"],
    ["a".repeat(1001), "module path is too long (1001 characters; at most 1000)"],
    ["github.com/x/y\u0000", `malformed module path "github.com/x/y\\x00": invalid char '\\x00'`],
    ["github.com/x/y\u0007z", `malformed module path "github.com/x/y\\az": invalid char '\\a'`],
    ["github.com/x\u001b[31m/y", `malformed module path "github.com/x\\x1b[31m/y": invalid char '\\x1b'`],
    ["github.com/ü/x", `malformed module path "github.com/ü/x": invalid char 'ü'`],
    ["例え.jp/x", `malformed module path "例え.jp/x": invalid char '例'`],
    ["github.com/x/../y", `malformed module path "github.com/x/../y": invalid path element ".."`],
    ["github.com/x/./y", `malformed module path "github.com/x/./y": invalid path element "."`],
    ["/github.com/x/y", `malformed module path "/github.com/x/y": empty path element`],
    ["github.com/x/y/", `malformed module path "github.com/x/y/": trailing slash`],
    ["github.com//y", `malformed module path "github.com//y": double slash`],
    ["Github.com/x/y", `malformed module path "Github.com/x/y": invalid char 'G' in first path element`],
    ["https://github.com/x/y", `"https://github.com/x/y" is a URL, not a module path: drop the scheme, e.g. github.com/x/y`],
    ["github.com/x/y@v1.0.0", `"module" must be a module path without @version, got "github.com/x/y@v1.0.0"`],
    [" github.com/x/y", `module path must not have surrounding whitespace: " github.com/x/y"`],
    [5, `"module" must be a string`],
    [null, `"module" must be a string`],
    [{ path: "github.com/x/y" }, `"module" must be a string`],
  ])("%j → %s", (input, message) => {
    expect(issue(modulePathSchema, input)).toBe(message);
  });

  it("accepts real paths, including upper case after the first element and gopkg.in", () => {
    for (const ok of ["github.com/IBM/sarama", "gopkg.in/yaml.v3", "golang.org/x/mod", "github.com/golang-jwt/jwt/v4", "example.com/a~b/c_d"]) {
      expect(issue(modulePathSchema, ok), ok).toBeNull();
    }
  });

  it("clips what it echoes back, so a huge input does not make a huge error", () => {
    const message = issue(modulePathSchema, `github.com/${"x".repeat(900)}@v1`) ?? "";
    expect(message.length).toBeLessThan(200);
  });
});

describe("checkRequestSchema: the POST /api/checks body", () => {
  it("requires module and refuses unknown fields by name", () => {
    expect(issue(checkRequestSchema, {})).toBe('"module" is required');
    expect(issue(checkRequestSchema, { module: "github.com/x/y", force: true, debug: 1 })).toBe("unexpected field(s): force, debug");
    expect(issue(checkRequestSchema, { module: "github.com/x/y" })).toBeNull();
  });
});

describe("suggestQuerySchema", () => {
  it("caps the text typed so far", () => {
    expect(issue(suggestQuerySchema, { q: "x".repeat(201) })).toBe('"q" must be at most 200 characters');
    expect(suggestQuerySchema.parse({})).toEqual({ q: "" });
  });
});

describe("readJsonObject: the body of a JSON POST", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
    readJsonObject(new Request("http://localhost/api/checks", { method: "POST", body, headers }));

  it("wants application/json (parameters allowed)", async () => {
    expect(await post("{}", { "content-type": "text/plain" })).toEqual({ ok: false, status: 415, error: 'expected Content-Type: application/json, got "text/plain"' });
    expect(await post("{}", {})).toMatchObject({ ok: false, status: 415 });
    expect(await post("module=x", { "content-type": "application/x-www-form-urlencoded" })).toMatchObject({ ok: false, status: 415 });
    expect(await post("{}", { "content-type": "application/json; charset=utf-8" })).toEqual({ ok: true, value: {} });
  });

  it("refuses a body over the cap, by header and while streaming", async () => {
    const big = JSON.stringify({ module: "x".repeat(MAX_JSON_BODY_BYTES) });
    expect(await post(big)).toEqual({ ok: false, status: 413, error: `request body is larger than ${MAX_JSON_BODY_BYTES} bytes` });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(1024)));
        controller.close();
      },
    });
    const streamed = await readJsonObject(
      new Request("http://localhost/api/checks", { method: "POST", body: stream, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit),
    );
    expect(streamed).toMatchObject({ ok: false, status: 413 });
  });

  it("wants a JSON object, not an array, string, number or null, and says what it expects", async () => {
    const expected = { ok: false, status: 400, error: 'request body must be a JSON object like {"module": "github.com/user/repo"}' };
    for (const body of ["[]", '["github.com/x/y"]', '"github.com/x/y"', "42", "null", "true"]) expect(await post(body), body).toEqual(expected);
    for (const body of ["", "{", "{'module': 'x'}", "\u0000"]) expect(await post(body), body).toEqual({ ok: false, status: 400, error: "request body is not valid JSON" });
    expect(await post('{"module":"github.com/x/y"}')).toEqual({ ok: true, value: { module: "github.com/x/y" } });
  });
});
