import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { watchCsp } from "./console-errors";
import { readE2eState } from "./e2e-state";
import { actionId } from "./support/server-action";

/*
 * Bad input at every boundary (API, server action, page URLs): each gets a clear 4xx (or, for pages, an inline
 * explanation) and stores nothing. "Stores nothing" is checked through the public API: the suggestion endpoint
 * matches any stored path containing the case's marker, and GET /api/modules/<valid path> answers 404.
 */

let xffSeq = 0;
/** Each request its own client address: these tests must never meet the rate limit, nor eat another test's budget. */
const client = () => ({ "x-forwarded-for": `192.0.2.${(xffSeq++ % 250) + 1}` });

async function expectNothingStored(request: APIRequestContext, marker: string): Promise<void> {
  const res = await request.get(`/api/suggest?q=${encodeURIComponent(marker)}`);
  expect(res.status()).toBe(200);
  expect((await res.json()).modules, `stored a module matching ${marker}`).toEqual([]);
}

async function expectUnknownModule(request: APIRequestContext, path: string): Promise<void> {
  const res = await request.get(`/api/modules/${path}`);
  expect(res.status()).toBe(404);
  expect((await res.json()).error).toBe(`module ${path} has not been checked yet`);
}

/** A GET with the path exactly as written: fetch and Playwright normalise "..", "//" and "%2e%2e" away. */
function rawGet(path: string): Promise<{ status: number; body: string; location: string | undefined }> {
  const { baseUrl } = readE2eState();
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on("error", reject);
    req.end();
  });
}

test.describe("POST /api/checks refuses bad input with a specific 4xx and stores nothing", () => {
  const cases: { name: string; module: unknown; marker: string; error: string }[] = [
    { name: "empty", module: "", marker: "", error: "empty module path" },
    { name: "blank", module: "   ", marker: "", error: "empty module path" },
    {
      name: "over 1,000 characters",
      module: `github.com/badinput-long/${"a".repeat(1000)}`,
      marker: "badinput-long",
      error: "module path is too long (1025 characters; at most 1000)",
    },
    { name: "NUL", module: "github.com/badinput-nul/x\u0000", marker: "badinput-nul", error: `malformed module path "github.com/badinput-nul/x\\x00": invalid char '\\x00'` },
    { name: "control character", module: "github.com/badinput-ctl/x\u0007y", marker: "badinput-ctl", error: `malformed module path "github.com/badinput-ctl/x\\ay": invalid char '\\a'` },
    { name: "escape sequence", module: "github.com/badinput-esc/\u001b[31mred", marker: "badinput-esc", error: `malformed module path "github.com/badinput-esc/\\x1b[31mred": invalid char '\\x1b'` },
    { name: "unicode", module: "github.com/badinput-uni/ünï", marker: "badinput-uni", error: `malformed module path "github.com/badinput-uni/ünï": invalid char 'ü'` },
    { name: "unicode host", module: "例え.jp/badinput-idn", marker: "badinput-idn", error: `malformed module path "例え.jp/badinput-idn": invalid char '例'` },
    { name: ".. element", module: "github.com/badinput-dots/../x", marker: "badinput-dots", error: `malformed module path "github.com/badinput-dots/../x": invalid path element ".."` },
    { name: "leading slash", module: "/github.com/badinput-lead/x", marker: "badinput-lead", error: `malformed module path "/github.com/badinput-lead/x": empty path element` },
    { name: "trailing slash", module: "github.com/badinput-trail/x/", marker: "badinput-trail", error: `malformed module path "github.com/badinput-trail/x/": trailing slash` },
    { name: "double slash", module: "github.com//badinput-dbl", marker: "badinput-dbl", error: `malformed module path "github.com//badinput-dbl": double slash` },
    { name: "uppercase first element", module: "Github.com/badinput-upper/x", marker: "badinput-upper", error: `malformed module path "Github.com/badinput-upper/x": invalid char 'G' in first path element` },
    {
      name: "a URL",
      module: "https://github.com/badinput-url/x",
      marker: "badinput-url",
      error: `"https://github.com/badinput-url/x" is a URL, not a module path: drop the scheme, e.g. github.com/badinput-url/x`,
    },
    { name: "with @version", module: "github.com/badinput-ver/x@v1.0.0", marker: "badinput-ver", error: `"module" must be a module path without @version, got "github.com/badinput-ver/x@v1.0.0"` },
    { name: "surrounding whitespace", module: " github.com/badinput-ws/x", marker: "badinput-ws", error: `module path must not have surrounding whitespace: " github.com/badinput-ws/x"` },
    { name: "a number", module: 42, marker: "", error: '"module" must be a string' },
    { name: "an object", module: { path: "github.com/badinput-obj/x" }, marker: "badinput-obj", error: '"module" must be a string' },
  ];
  for (const c of cases) {
    test(`module ${c.name}`, async ({ request }) => {
      const res = await request.post("/api/checks", { data: { module: c.module }, headers: client() });
      expect(res.status()).toBe(400);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect((await res.json()).error).toBe(c.error);
      if (c.marker) await expectNothingStored(request, c.marker);
    });
  }

  test("missing module and unknown fields are named", async ({ request }) => {
    let res = await request.post("/api/checks", { data: {}, headers: client() });
    expect(res.status()).toBe(400);
    expect((await res.json()).error).toBe('"module" is required');
    res = await request.post("/api/checks", { data: { module: "github.com/badinput-extra/x", force: true, mirrors: ["all"] }, headers: client() });
    expect(res.status()).toBe(400);
    expect((await res.json()).error).toBe("unexpected field(s): force, mirrors");
    await expectUnknownModule(request, "github.com/badinput-extra/x");
  });

  test("JSON that is not an object: array, string, number, null", async ({ request }) => {
    // Buffers go out byte for byte (Playwright would JSON-encode a string once more).
    for (const body of [["github.com/badinput-arr/x"], "github.com/badinput-str/x", 7, null]) {
      const res = await request.post("/api/checks", { data: Buffer.from(JSON.stringify(body)), headers: { ...client(), "content-type": "application/json" } });
      expect(res.status(), JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toBe('request body must be a JSON object like {"module": "github.com/user/repo"}');
    }
    for (const body of ["", "{", "{module: 'github.com/badinput-js/x'}", "\u0000"]) {
      const res = await request.post("/api/checks", { data: Buffer.from(body), headers: { ...client(), "content-type": "application/json" } });
      expect(res.status(), body).toBe(400);
      expect((await res.json()).error).toBe("request body is not valid JSON");
    }
    for (const marker of ["badinput-arr", "badinput-str", "badinput-js"]) await expectNothingStored(request, marker);
  });

  test("wrong content type, even with a valid body", async ({ request }) => {
    const body = JSON.stringify({ module: "github.com/badinput-ctype/x" });
    let res = await request.post("/api/checks", { data: body, headers: { ...client(), "content-type": "text/plain" } });
    expect(res.status()).toBe(415);
    expect((await res.json()).error).toBe('expected Content-Type: application/json, got "text/plain"');
    res = await request.post("/api/checks", { form: { module: "github.com/badinput-ctype/x" }, headers: client() });
    expect(res.status()).toBe(415);
    expect((await res.json()).error).toBe('expected Content-Type: application/json, got "application/x-www-form-urlencoded"');
    await expectUnknownModule(request, "github.com/badinput-ctype/x");
  });

  test("a huge body (over 16 KB) is refused before it is parsed", async ({ request }) => {
    const res = await request.post("/api/checks", { data: { module: "github.com/badinput-huge/x", pad: "x".repeat(20_000) }, headers: client() });
    expect(res.status()).toBe(413);
    expect((await res.json()).error).toBe("request body is larger than 16384 bytes");
    const bigger = await request.post("/api/checks", { data: { module: "github.com/badinput-huge/x", pad: "x".repeat(2_000_000) }, headers: client() });
    expect(bigger.status()).toBe(413);
    await expectUnknownModule(request, "github.com/badinput-huge/x");
  });
});

const PROBE_MODULE = "example.com/badinput-probe/x";
const NOT_SEMVER = "invalid version: not a semantic version (ask for a version such as v1.2.3, or latest)";
const NOT_JSON_OBJECT = 'request body must be a JSON object like {"module": "github.com/user/repo", "version": "v1.2.3"}';

type BadProbe = { name: string; body: unknown; error: string; marker?: string };

/** Bodies POST /api/probes must refuse with 400 before it checks, probes or counts anything. */
const badProbes: BadProbe[] = [
  { name: "missing version", body: { module: PROBE_MODULE }, error: '"version" is required (a version such as v1.2.3, or latest)' },
  { name: "version a number", body: { module: PROBE_MODULE, version: 1.2 }, error: '"version" must be a string' },
  { name: "version null", body: { module: PROBE_MODULE, version: null }, error: '"version" must be a string' },
  { name: "version 1.2.3 (no v)", body: { module: PROBE_MODULE, version: "1.2.3" }, error: `${PROBE_MODULE}@1.2.3: ${NOT_SEMVER}` },
  { name: "version v1.2 (not canonical)", body: { module: PROBE_MODULE, version: "v1.2" }, error: `${PROBE_MODULE}@v1.2: invalid version: not a canonical version (ask for v1.2.0)` },
  { name: "version v1.0.0+build (not canonical)", body: { module: PROBE_MODULE, version: "v1.0.0+build" }, error: `${PROBE_MODULE}@v1.0.0+build: invalid version: not a canonical version (ask for v1.0.0)` },
  { name: "version v1.2.3.4", body: { module: PROBE_MODULE, version: "v1.2.3.4" }, error: `${PROBE_MODULE}@v1.2.3.4: ${NOT_SEMVER}` },
  { name: "version v01.2.3 (leading zero)", body: { module: PROBE_MODULE, version: "v01.2.3" }, error: `${PROBE_MODULE}@v01.2.3: ${NOT_SEMVER}` },
  { name: "version LATEST", body: { module: PROBE_MODULE, version: "LATEST" }, error: `${PROBE_MODULE}@LATEST: ${NOT_SEMVER}` },
  { name: "version empty", body: { module: PROBE_MODULE, version: "" }, error: `${PROBE_MODULE}@: ${NOT_SEMVER}` },
  { name: "version of 100 characters, echoed shortened", body: { module: PROBE_MODULE, version: "x".repeat(100) }, error: `${PROBE_MODULE}@${"x".repeat(57)}…: ${NOT_SEMVER}` },
  { name: "version of 2,000 characters", body: { module: PROBE_MODULE, version: `v1.0.0-${"a".repeat(1993)}` }, error: '"version" must be at most 128 characters' },
  { name: "fetch a string", body: { module: PROBE_MODULE, version: "v1.0.0", fetch: "yes" }, error: '"fetch" must be true or false' },
  { name: "fetch null", body: { module: PROBE_MODULE, version: "v1.0.0", fetch: null }, error: '"fetch" must be true or false' },
  { name: "unknown fields", body: { module: PROBE_MODULE, version: "v1.0.0", force: true, mirrors: ["all"] }, error: "unexpected field(s): force, mirrors" },
  { name: "missing module", body: { version: "v1.0.0" }, error: '"module" is required' },
  { name: "module empty", body: { module: "", version: "v1.0.0" }, error: "empty module path" },
  {
    name: "module with an uppercase first element",
    body: { module: "Example.com/badinput-probe-upper/x", version: "v1.0.0" },
    error: `malformed module path "Example.com/badinput-probe-upper/x": invalid char 'E' in first path element`,
    marker: "badinput-probe-upper",
  },
  {
    name: "module with a .. element",
    body: { module: "example.com/badinput-probe-dots/../x", version: "v1.0.0" },
    error: `malformed module path "example.com/badinput-probe-dots/../x": invalid path element ".."`,
    marker: "badinput-probe-dots",
  },
  {
    name: "module with a trailing slash",
    body: { module: "example.com/badinput-probe-trail/x/", version: "v1.0.0" },
    error: `malformed module path "example.com/badinput-probe-trail/x/": trailing slash`,
    marker: "badinput-probe-trail",
  },
  {
    name: "module a URL",
    body: { module: "https://example.com/badinput-probe-url/x", version: "v1.0.0" },
    error: `"https://example.com/badinput-probe-url/x" is a URL, not a module path: drop the scheme, e.g. example.com/badinput-probe-url/x`,
    marker: "badinput-probe-url",
  },
  {
    name: "module with @version",
    body: { module: "example.com/badinput-probe-at/x@v1.0.0", version: "v1.0.0" },
    error: `"module" must be a module path without @version, got "example.com/badinput-probe-at/x@v1.0.0"`,
    marker: "badinput-probe-at",
  },
  {
    name: "module and version both bad: the module is named first",
    body: { module: "Example.com/badinput-probe-both/x", version: "1.0" },
    error: `malformed module path "Example.com/badinput-probe-both/x": invalid char 'E' in first path element`,
    marker: "badinput-probe-both",
  },
];

/** Raw bodies (sent byte for byte with a JSON content type) and what each is answered. */
const badProbeBodies: { name: string; body: string; status: number; error: string }[] = [
  { name: "invalid JSON", body: `{"module": "${PROBE_MODULE}", "version": `, status: 400, error: "request body is not valid JSON" },
  { name: "an array", body: JSON.stringify([{ module: PROBE_MODULE, version: "v1.0.0" }]), status: 400, error: NOT_JSON_OBJECT },
  { name: "a string", body: JSON.stringify(`${PROBE_MODULE}@v1.0.0`), status: 400, error: NOT_JSON_OBJECT },
  { name: "a 20 KiB body", body: JSON.stringify({ module: PROBE_MODULE, version: "v1.0.0", pad: "x".repeat(20 * 1024) }), status: 413, error: "request body is larger than 16384 bytes" },
];

test.describe("POST /api/probes refuses bad input with a specific 4xx and stores nothing", () => {
  for (const c of badProbes) {
    test(`probe: ${c.name}`, async ({ request }) => {
      const res = await request.post("/api/probes", { data: c.body as Record<string, unknown>, headers: client() });
      expect(res.status()).toBe(400);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect((await res.json()).error).toBe(c.error);
      // A probe checks its module first: a module never checked was never probed.
      await expectUnknownModule(request, PROBE_MODULE);
      if (c.marker) await expectNothingStored(request, c.marker);
    });
  }

  for (const c of badProbeBodies) {
    test(`probe body: ${c.name}`, async ({ request }) => {
      const res = await request.post("/api/probes", { data: Buffer.from(c.body), headers: { ...client(), "content-type": "application/json" } });
      expect(res.status()).toBe(c.status);
      expect((await res.json()).error).toBe(c.error);
      await expectUnknownModule(request, PROBE_MODULE);
    });
  }

  test("probe: wrong content type, even with a valid body", async ({ request }) => {
    let res = await request.post("/api/probes", { data: JSON.stringify({ module: PROBE_MODULE, version: "v1.0.0" }), headers: { ...client(), "content-type": "text/plain" } });
    expect(res.status()).toBe(415);
    expect((await res.json()).error).toBe('expected Content-Type: application/json, got "text/plain"');
    res = await request.post("/api/probes", { form: { module: PROBE_MODULE, version: "v1.0.0" }, headers: client() });
    expect(res.status()).toBe(415);
    expect((await res.json()).error).toBe('expected Content-Type: application/json, got "application/x-www-form-urlencoded"');
    await expectUnknownModule(request, PROBE_MODULE);
  });

  test("probe: latest of a module no mirror knows is a clear 404, not a probe", async ({ request }) => {
    const modulePath = "example.com/badinput-probe-nolatest/x";
    const res = await request.post("/api/probes", { data: { module: modulePath, version: "latest" }, headers: client() });
    expect(res.status()).toBe(404);
    expect((await res.json()).error).toBe(`no mirror resolves ${modulePath}@latest: none lists a version or answers @latest`);
  });

  test("none of them stores a probe, nor spends the rate limit: the next probe gets the next id", async ({ request }) => {
    // One client for every bad request, more of them than RATE_LIMIT_PER_MINUTE (30): refused before the limiter.
    const headers = { "x-forwarded-for": "192.0.2.254" };
    const modulePath = "example.com/badinput-probe-count/x";
    const probeId = async (version: string) => {
      const res = await request.post("/api/probes", { data: { module: modulePath, version, fetch: false }, headers });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()).probe.id as number;
    };
    const first = await probeId("v1.0.0");
    // Twice over: 54 refusals, so a limiter that counted them would answer the last probe 429.
    for (let round = 0; round < 2; round++) {
      for (const c of badProbes) expect((await request.post("/api/probes", { data: c.body as Record<string, unknown>, headers })).status(), c.name).toBe(400);
      for (const c of badProbeBodies) {
        const res = await request.post("/api/probes", { data: Buffer.from(c.body), headers: { ...headers, "content-type": "application/json" } });
        expect(res.status(), c.name).toBe(c.status);
      }
    }
    expect(2 * (badProbes.length + badProbeBodies.length)).toBeGreaterThan(30);
    const next = await request.get(`/api/probes/${first + 1}`);
    expect(next.status()).toBe(404);
    expect((await next.json()).error).toBe(`probe ${first + 1} does not exist`);
    expect(await probeId("v1.0.1")).toBe(first + 1);
  });
});

test.describe("GET /api/probes/<id> refuses what is no probe id", () => {
  for (const id of ["abc", "0", "-1", "1e3", "1.5", "01", "9007199254740993"]) {
    test(`probe id ${id}`, async ({ request }) => {
      const res = await request.get(`/api/probes/${id}`);
      expect(res.status()).toBe(400);
      expect((await res.json()).error).toBe(`"${id}" is not a probe id (a positive whole number)`);
    });
  }

  test("a well-formed id that does not exist is 404", async ({ request }) => {
    const res = await request.get("/api/probes/99999999");
    expect(res.status()).toBe(404);
    expect((await res.json()).error).toBe("probe 99999999 does not exist");
  });
});

test.describe("GET /api/modules/<path> refuses bad paths and bad ?at=", () => {
  const cases: { name: string; path: string; error: string }[] = [
    { name: "over 1,000 characters", path: `github.com/badinput-long/${"a".repeat(1000)}`, error: "module path is too long (1025 characters; at most 1000)" },
    { name: "NUL", path: "github.com/x/y%00", error: `malformed module path "github.com/x/y\\x00": invalid char '\\x00'` },
    { name: "control character", path: "github.com/x/%07y", error: `malformed module path "github.com/x/\\ay": invalid char '\\a'` },
    { name: "unicode", path: "github.com/%C3%BC/x", error: `malformed module path "github.com/ü/x": invalid char 'ü'` },
    // Refused by proxy.ts: Next itself would answer a bare 500 while decoding the route params.
    { name: "bad %-escape", path: "github.com/x/%E4%zz", error: "malformed %-escape in the URL path" },
    // Decoded exactly once: "%2541" is "%41", not "A".
    { name: "escaped %", path: "github.com/x/a%25", error: `malformed module path "github.com/x/a%": invalid char '%'` },
    { name: "escaped escape", path: "github.com/x/a%2541", error: `malformed module path "github.com/x/a%41": invalid char '%'` },
    { name: ".. element (escaped slashes)", path: "github.com%2Fx%2F..%2Fy", error: `malformed module path "github.com/x/../y": invalid path element ".."` },
    { name: "leading slash (escaped)", path: "%2Fgithub.com/x/y", error: `malformed module path "/github.com/x/y": empty path element` },
    { name: "trailing slash (escaped)", path: "github.com/x/y%2F", error: `malformed module path "github.com/x/y/": trailing slash` },
    { name: "uppercase first element", path: "Github.com/x/y", error: `malformed module path "Github.com/x/y": invalid char 'G' in first path element` },
    { name: "a URL", path: "https%3A%2F%2Fgithub.com%2Fx%2Fy", error: `"https://github.com/x/y" is a URL, not a module path: drop the scheme, e.g. github.com/x/y` },
    { name: "with @version", path: "github.com/x/y@v1.0.0", error: `"module" must be a module path without @version, got "github.com/x/y@v1.0.0"` },
  ];
  for (const c of cases) {
    test(`path ${c.name}`, async ({ request }) => {
      const res = await request.get(`/api/modules/${c.path}`);
      expect(res.status()).toBe(400);
      expect((await res.json()).error).toBe(c.error);
    });
  }

  test("paths the HTTP layer normalises (.., //, trailing /, scheme) never reach a 5xx and never name a stored module", async () => {
    for (const path of ["/api/modules/github.com/x/../y", "/api/modules/github.com/x/%2e%2e/y", "/api/modules//github.com/x/y", "/api/modules/github.com/x/y/", "/api/modules/https://github.com/x/y", "/api/modules/"]) {
      const res = await rawGet(path);
      expect(res.status, path).toBeGreaterThanOrEqual(300);
      expect(res.status, path).toBeLessThan(500);
      if (res.status === 400) expect(JSON.parse(res.body).error, path).toMatch(/malformed module path|is a URL/);
    }
  });

  test("bad ?at=: 0, -1, abc, huge, and another module's check id", async ({ request }) => {
    const { modules } = readE2eState();
    const [mine, other] = modules;
    if (!mine || !other) throw new Error("the demo scenario has at least two modules");
    for (const at of ["0", "-1", "abc", "1.5", "99999999999999999999", "9007199254740993"]) {
      const res = await request.get(`/api/modules/${mine}?at=${at}`);
      expect(res.status(), at).toBe(400);
      expect((await res.json()).error).toBe(`"at" must be a check id (a positive whole number), got "${at}"`);
    }
    const otherCheck = (await (await request.get(`/api/modules/${other}`)).json()).asOf.checkId as number;
    const res = await request.get(`/api/modules/${mine}?at=${otherCheck}`);
    expect(res.status()).toBe(404);
    expect((await res.json()).error).toBe(`check ${otherCheck} is not a check of module ${mine}`);
  });

  test("bad ?page= and ?version=, their combination, and a page past the last", async ({ request }) => {
    const [mine] = readE2eState().modules;
    if (!mine) throw new Error("the demo scenario has modules");
    for (const page of ["0", "-1", "abc", "1.5", "9999999999"]) {
      const res = await request.get(`/api/modules/${mine}?page=${page}`);
      expect(res.status(), page).toBe(400);
      expect((await res.json()).error).toBe(`"page" must be a page number (a positive whole number), got "${page}"`);
    }
    for (const version of ["1.0.0", "v1", "v1.0", "latest", "v1.0.0+build"]) {
      const res = await request.get(`/api/modules/${mine}?version=${encodeURIComponent(version)}`);
      expect(res.status(), version).toBe(400);
      expect((await res.json()).error).toBe(`"version" must be a canonical semantic version such as v1.2.3, got "${version}"`);
    }
    const both = await request.get(`/api/modules/${mine}?version=v1.0.0&page=1`);
    expect(both.status()).toBe(400);
    expect((await both.json()).error).toBe(`"page" and "version" cannot be combined: a version's answer is one page`);
    const first = await (await request.get(`/api/modules/${mine}`)).json();
    const past = await request.get(`/api/modules/${mine}?at=${first.asOf.checkId}&page=${first.page.of + 1}`);
    expect(past.status()).toBe(404);
    expect((await past.json()).error).toMatch(new RegExp(`^page ${first.page.of + 1} does not exist: the timeline of .* as of check ${first.asOf.checkId} has ${first.page.of} pages?$`));
  });
});

test.describe("module pages /m/... explain a bad URL inline (never a 500)", () => {
  const cases: { name: string; url: string; error: string | RegExp }[] = [
    { name: "uppercase first element", url: "/m/Github.com/badinput-page/x", error: `malformed module path "Github.com/badinput-page/x": invalid char 'G' in first path element` },
    { name: "NUL", url: "/m/github.com/badinput-page/x%00", error: `malformed module path "github.com/badinput-page/x\\x00": invalid char '\\x00'` },
    { name: "unicode", url: "/m/github.com/badinput-page/%C3%BC", error: `malformed module path "github.com/badinput-page/ü": invalid char 'ü'` },
    { name: "escaped ..", url: "/m/github.com%2Fbadinput-page%2F..%2Fx", error: `malformed module path "github.com/badinput-page/../x": invalid path element ".."` },
    { name: "escaped trailing slash", url: "/m/github.com/badinput-page/x%2F", error: `malformed module path "github.com/badinput-page/x/": trailing slash` },
    { name: "a URL", url: "/m/https%3A%2F%2Fgithub.com%2Fbadinput-page", error: /is a URL, not a module path: drop the scheme, e.g. github.com\/badinput-page/ },
    { name: "over 1,000 characters", url: `/m/github.com/badinput-page/${"a".repeat(1000)}`, error: "module path is too long (1025 characters; at most 1000)" },
    { name: "bad version", url: "/m/github.com/badinput-page/x@v1.x", error: `invalid version "v1.x": expected a semantic version such as v1.2.3` },
    { name: "?at=0", url: "/m/github.com/badinput-page/x?at=0", error: `"at" must be a check id (a positive whole number), got "0"` },
    { name: "?at=abc", url: "/m/github.com/badinput-page/x?at=abc", error: `"at" must be a check id (a positive whole number), got "abc"` },
    { name: "?at=-1", url: "/m/github.com/badinput-page/x?at=-1", error: `"at" must be a check id (a positive whole number), got "-1"` },
    { name: "?at=huge", url: "/m/github.com/badinput-page/x?at=99999999999999999999", error: `"at" must be a check id (a positive whole number), got "99999999999999999999"` },
  ];
  for (const c of cases) {
    test(c.name, async ({ page, request }) => {
      const csp = watchCsp(page);
      const response = await page.goto(c.url);
      expect(response?.status()).toBeLessThan(500);
      await expect(page.getByTestId("invalid-path")).toBeVisible();
      // The search box below repeats the message as its own alert; the first one is the page's.
      await expect(page.getByTestId("invalid-path").getByRole("alert").first()).toHaveText(c.error);
      await expectNothingStored(request, "badinput-page");
      expect(csp).toEqual([]);
    });
  }

  test("a malformed %-escape is a plain 400, not Next's bare 500", async ({ request }) => {
    const res = await request.get("/m/github.com/badinput-page/%zz");
    expect(res.status()).toBe(400);
    expect(await res.text()).toBe("Bad request: malformed %-escape in the URL path\n");
  });

  test("?at= naming another module's check says so and links to the live page", async ({ page, request }) => {
    const csp = watchCsp(page);
    const { modules } = readE2eState();
    const [mine, other] = modules;
    if (!mine || !other) throw new Error("the demo scenario has at least two modules");
    const otherCheck = (await (await request.get(`/api/modules/${other}`)).json()).asOf.checkId as number;
    const response = await page.goto(`/m/${mine}?at=${otherCheck}`);
    expect(response?.status()).toBeLessThan(500);
    await expect(page.getByRole("alert").filter({ hasText: String(otherCheck) })).toBeVisible();
    await expect(page.getByRole("link", { name: "Open the live page" })).toBeVisible();
    expect(csp).toEqual([]);
  });
});

test.describe("the check server action", () => {
  test("through the UI: an invalid path is explained inline and never sent", async ({ page, request }) => {
    const csp = watchCsp(page);
    const actionCalls: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.headers()["next-action"]) actionCalls.push(r.url());
    });
    await page.goto("/");
    const input = page.getByRole("combobox", { name: "Go module" });
    for (const [typed, message] of [
      ["Github.com/badinput-ui/x", `malformed module path "Github.com/badinput-ui/x": invalid char 'G' in first path element`],
      ["github.com/badinput-ui/../x", `malformed module path "github.com/badinput-ui/../x": invalid path element ".."`],
      ["https://github.com/badinput-ui/x", `"https://github.com/badinput-ui/x" is a URL, not a module path: drop the scheme, e.g. github.com/badinput-ui/x`],
    ] as const) {
      await input.fill(typed);
      await input.press("Enter");
      await expect(page.locator("#module-search-status").getByRole("alert")).toHaveText(message);
      await expect(page).toHaveURL(/\/$/);
    }
    expect(actionCalls).toEqual([]);
    await expectNothingStored(request, "badinput-ui");
    expect(csp).toEqual([]);
  });

  test("called directly (as any client can POST it): refuses invalid input with the same words and stores nothing", async ({ request }) => {
    const action = actionId("app/actions.ts", "checkModuleAction");
    const call = async (input: unknown) => {
      const res = await request.post("/", {
        headers: { ...client(), "next-action": action, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
        data: JSON.stringify([input]),
      });
      expect(res.status()).toBeLessThan(500);
      return res.text();
    };
    const cases: [unknown, string][] = [
      [{ module: "Github.com/badinput-action/x" }, `malformed module path \\"Github.com/badinput-action/x\\": invalid char 'G' in first path element`],
      [{ module: "github.com/badinput-action/x\u0000" }, `invalid char '\\\\x00'`],
      [{ module: "github.com/badinput-action/x", extra: 1 }, "unexpected field(s): extra"],
      [{ module: "" }, "empty module path"],
      ["github.com/badinput-action/x", "expected object, received string"],
      [null, "expected object, received null"],
    ];
    for (const [input, message] of cases) {
      const text = await call(input);
      expect(text, JSON.stringify(input)).toContain('"code":"invalid"');
      expect(text, JSON.stringify(input)).toContain(message);
    }
    await expectNothingStored(request, "badinput-action");
  });
});

/** The id Next gave a server action in this build (what the browser sends as the Next-Action header). */
