import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";

/*
 * POST /api/resolutions refuses what is no go.mod (and go.sum) with a clear 4xx and stores nothing: every refused
 * body is sent twice over by one client, then a valid one gets the id right after the last stored resolution and
 * was not rate-limited (refusals are answered before the limiter counts).
 */

const GOMOD = "module example.com/badinput-resolve/app\n\ngo 1.21\n\nrequire example.com/badinput-resolve/dep v1.0.0\n";
const NOT_JSON_OBJECT = 'request body must be a JSON object like {"gomod": "module example.com/m\\n\\nrequire …", "gosum": "…"}';
const MAX_BODY = 4 * 1024 * 1024;

type Multipart = Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
type BadResolution = { name: string; status: number; error: string } & ({ json: unknown } | { raw: Buffer; contentType: string } | { multipart: Multipart });

const file = (name: string, content: string | Buffer) => ({ name, mimeType: "application/octet-stream", buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
const manyRequirements = (n: number) =>
  `module example.com/badinput-resolve/many\n\ngo 1.21\n\nrequire (\n${Array.from({ length: n }, (_, i) => `\texample.com/badinput-resolve/m${i} v1.0.${i}\n`).join("")})\n`;
// The first bytes of a PNG and of a gzip: what a wrong file picked in the upload dialog looks like.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const GZIP = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c, 0x4a, 0x06, 0x00]);

const cases: BadResolution[] = [
  // Not a go.mod at all.
  { name: "a README", json: { gomod: "# My project\n\nThis is a README, not a go.mod.\n" }, status: 400, error: 'go.mod:1: unknown directive: # (line 1: "# My project")' },
  { name: "a go.work", json: { gomod: "go 1.21\n\nuse ./a\n" }, status: 400, error: 'go.mod:3: unknown directive: use (line 3: "use ./a")' },
  { name: "JSON pasted as the go.mod", json: { gomod: '{"module": "example.com/app"}\n' }, status: 400, error: 'go.mod:1: unknown directive: { (line 1: "{\\"module\\": \\"example.com/app\\"}")' },
  {
    name: "no module line",
    json: { gomod: "go 1.21\n\nrequire example.com/badinput-resolve/dep v1.0.0\n" },
    status: 400,
    error: "go.mod: no module declaration in go.mod. To specify the module path:\n\tgo mod edit -module=example.com/mod",
  },
  { name: "an empty go.mod", json: { gomod: " \n\n" }, status: 400, error: "go.mod is empty" },
  // A go.mod the go command refuses: its words and the line.
  { name: "an unterminated require block", json: { gomod: "module example.com/app\n\nrequire (\n\texample.com/a v1.0.0\n" }, status: 400, error: "go.mod:5: syntax error (unterminated block started at go.mod:3:1)" },
  { name: "an unterminated string", json: { gomod: 'module "example.com/app\n' }, status: 400, error: 'go.mod:1: unexpected newline in string (line 1: "module \\"example.com/app")' },
  { name: "a require without a version", json: { gomod: "module example.com/app\n\nrequire example.com/a\n" }, status: 400, error: 'go.mod:3: usage: require module/path v1.2.3 (line 3: "require example.com/a")' },
  {
    name: "a version that is not canonical",
    json: { gomod: "module example.com/app\n\nrequire example.com/a v1.2\n" },
    status: 400,
    error: 'go.mod:3: require example.com/a: version "v1.2" invalid: must be of the form v1.2.3 (line 3: "require example.com/a v1.2")',
  },
  {
    name: "a v2 version of a v1 path",
    json: { gomod: "module example.com/app\n\nrequire example.com/a v2.0.0\n" },
    status: 400,
    error: 'go.mod:3: require example.com/a: version "v2.0.0" invalid: should be v0 or v1, not v2 (line 3: "require example.com/a v2.0.0")',
  },
  {
    name: "a replacement without a version that is no directory",
    json: { gomod: "module example.com/app\n\nreplace example.com/a => example.com/b\n" },
    status: 400,
    error: 'go.mod:3: replacement module without version must be directory path (rooted or starting with . or ..) (line 3: "replace example.com/a => example.com/b")',
  },
  { name: "a bad go version", json: { gomod: "module example.com/app\n\ngo 1.21.x\n" }, status: 400, error: "go.mod:3: invalid go version '1.21.x': must match format 1.23.0 (line 3: \"go 1.21.x\")" },
  { name: "two module lines", json: { gomod: "module example.com/app\nmodule example.com/other\n" }, status: 400, error: 'go.mod:2: repeated module statement (line 2: "module example.com/other")' },
  // Too big.
  { name: "2,001 requirements", json: { gomod: manyRequirements(2001) }, status: 400, error: "go.mod has 2001 requirements; at most 2000 are checked at once" },
  { name: "a 10 MB go.mod", json: { gomod: `module example.com/app\n\n${"// padding\n".repeat(1_000_000)}` }, status: 413, error: `request body is larger than ${MAX_BODY} bytes` },
  { name: "a 10 MB multipart upload", multipart: { "go.mod": file("go.mod", Buffer.alloc(10 * 1024 * 1024, 0x20)) }, status: 413, error: `request body is larger than ${MAX_BODY} bytes` },
  // go.sum.
  { name: "a go.sum line with two fields", json: { gomod: GOMOD, gosum: "example.com/badinput-resolve/dep v1.0.0/go.mod\n" }, status: 400, error: 'go.sum:1: malformed go.sum: wrong number of fields 2 (line 1: "example.com/badinput-resolve/dep v1.0.0/go.mod")' },
  {
    name: "a go.sum with a bad third line",
    json: { gomod: GOMOD, gosum: "a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\nthis is not go.sum at all\n" },
    status: 400,
    error: 'go.sum:3: malformed go.sum: wrong number of fields 6 (line 3: "this is not go.sum at all")',
  },
  { name: "a go.sum that is a number", json: { gomod: GOMOD, gosum: 42 }, status: 400, error: '"gosum" must be a string' },
  // Binary files.
  { name: "a PNG uploaded as go.mod", multipart: { "go.mod": file("go.mod", PNG) }, status: 400, error: "go.mod is not UTF-8 text" },
  { name: "a gzip uploaded as go.sum", multipart: { "go.mod": file("go.mod", GOMOD), "go.sum": file("go.sum", GZIP) }, status: 400, error: "go.sum is not UTF-8 text" },
  { name: "a go.mod with NUL bytes", multipart: { "go.mod": file("go.mod", `${GOMOD}\u0000\u0000`) }, status: 400, error: "go.mod is a binary file, not a go.mod" },
  { name: "a UTF-16 go.mod", multipart: { "go.mod": file("go.mod", Buffer.from(`\ufeff${GOMOD}`, "utf16le")) }, status: 400, error: "go.mod is not UTF-8 text" },
  // Malformed requests.
  { name: "a multipart body without the go.mod part", multipart: { "go.sum": file("go.sum", "") }, status: 400, error: 'the multipart body has no part named "go.mod" (curl -F go.mod=@go.mod)' },
  { name: "a multipart body with a go.work part", multipart: { "go.mod": file("go.mod", GOMOD), "go.work": file("go.work", "go 1.21\n") }, status: 400, error: "unexpected part(s): go.work (send go.mod, and optionally go.sum and zips)" },
  { name: "a multipart zips that is not a boolean", multipart: { "go.mod": file("go.mod", GOMOD), zips: "yes" }, status: 400, error: '"zips" must be true or false' },
  { name: "invalid JSON", raw: Buffer.from('{"gomod": "module x'), contentType: "application/json", status: 400, error: "request body is not valid JSON" },
  { name: "a JSON array", json: [GOMOD], status: 400, error: NOT_JSON_OBJECT },
  { name: "a JSON string", json: GOMOD, status: 400, error: NOT_JSON_OBJECT },
  { name: "no gomod field", json: { go_mod: GOMOD }, status: 400, error: '"gomod" is required: the text of a go.mod' },
  { name: "unknown fields", json: { gomod: GOMOD, mirrors: ["goproxy.cn"] }, status: 400, error: "unexpected field(s): mirrors" },
  { name: "a plain-text body", raw: Buffer.from(GOMOD), contentType: "text/plain", status: 415, error: 'expected Content-Type: application/json or multipart/form-data, got "text/plain"' },
];

async function send(request: APIRequestContext, c: BadResolution, headers: Record<string, string>) {
  if ("json" in c) return request.post("/api/resolutions", { data: JSON.stringify(c.json), headers: { ...headers, "content-type": "application/json" } });
  if ("raw" in c) return request.post("/api/resolutions", { data: c.raw, headers: { ...headers, "content-type": c.contentType } });
  return request.post("/api/resolutions", { multipart: c.multipart, headers });
}

let seq = 0;
const client = () => ({ "x-forwarded-for": `198.51.100.${(seq++ % 250) + 1}` });

test.describe("POST /api/resolutions refuses what is no go.mod with a clear 4xx and stores nothing", () => {
  for (const c of cases) {
    test(c.name, async ({ request }) => {
      const res = await send(request, c, client());
      expect(res.status()).toBe(c.status);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect((await res.json()).error).toBe(c.error);
    });
  }

  test("none of them stores a resolution nor spends the rate limit: the next valid one gets the next id", async ({ request }) => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    // One client throughout, more refusals than RATE_LIMIT_PER_MINUTE (30).
    const headers = { "x-forwarded-for": "198.51.100.254" };
    const start = async (gomod: string) => {
      const res = await request.post("/api/resolutions", { data: { gomod }, headers });
      expect(res.status(), await res.text()).toBe(202);
      return (await res.json()).resolution.id as number;
    };
    const first = await start(`${GOMOD}// first\n`);
    for (let round = 0; round < 2; round++) {
      for (const c of cases) expect((await send(request, c, headers)).status(), c.name).toBe(c.status);
    }
    expect(2 * cases.length).toBeGreaterThan(30);
    const next = await request.get(`/api/resolutions/${first + 1}`);
    expect(next.status()).toBe(404);
    expect((await next.json()).error).toBe(`resolution ${first + 1} does not exist`);
    expect(await start(`${GOMOD}// second\n`)).toBe(first + 1);
  });
});
