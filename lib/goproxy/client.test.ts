import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMirrorClient, formatErrorDetail } from "./client";
import { hashZip } from "./hash";
import type { ErrorOutcome, MirrorClientOptions, NotFoundOutcome, OkOutcome, Outcome } from "./client";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type Seen = { url: string; headers: IncomingMessage["headers"] };

// One throwaway server for the file; each test installs its own handler.
let server: Server;
let baseUrl: string;
let handler: Handler = (_req, res) => res.end();
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

function client(extra: Partial<MirrorClientOptions> = {}) {
  return createMirrorClient({ baseUrl, timeoutMs: 5000, ...extra });
}

function reply(status: number, body: string | Uint8Array, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
    res.end(body);
  };
}

function expectOk<T>(o: Outcome<T>): OkOutcome<T> {
  if (o.outcome !== "ok") throw new Error(`expected ok, got ${JSON.stringify(o)}`);
  return o;
}
function expectNotFound<T>(o: Outcome<T>): NotFoundOutcome {
  if (o.outcome !== "not_found") throw new Error(`expected not_found, got ${JSON.stringify(o)}`);
  return o;
}
function expectError<T>(o: Outcome<T>, reason: ErrorOutcome["reason"]): ErrorOutcome {
  if (o.outcome !== "error") throw new Error(`expected error, got ${JSON.stringify(o)}`);
  expect(o.reason, o.message).toBe(reason);
  return o;
}

// Minimal zip writer (local headers + central directory + end record), enough for a module zip.
function buildZip(entries: { name: string; data: string; deflate: boolean }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const raw = Buffer.from(e.data, "utf8");
    const stored = e.deflate ? deflateRawSync(raw) : raw;
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

// The h1 formula from docs/goproxy-facts.md §4, computed independently of lib/goproxy/hash.
function h1GoMod(bytes: Uint8Array): string {
  const line = `${createHash("sha256").update(bytes).digest("hex")}  go.mod\n`;
  return `h1:${createHash("sha256").update(line).digest("base64")}`;
}

describe("list", () => {
  it("parses an unsorted list without trailing newline, dropping invalid lines and pseudo-versions", async () => {
    const raw = "v1.2.0\nv1.10.0 extra-field\nv0.0.0-20240101120000-abcdef123456\nnot-a-version\n\nv1.0.0\nv1.2.0";
    handler = reply(200, raw);
    const o = expectOk(await client().list("example.com/m"));
    expect(o.status).toBe(200);
    expect(o.data.raw).toBe(raw);
    expect(o.data.versions).toEqual(["v1.0.0", "v1.2.0", "v1.10.0"]);
    expect(o.data.invalidLines).toBe(2);
    expect(seen[0]?.url).toBe("/example.com/m/@v/list");
  });

  it("accepts an empty list", async () => {
    handler = reply(200, "");
    const o = expectOk(await client().list("example.com/m"));
    expect(o.data).toEqual({ versions: [], raw: "", invalidLines: 0 });
  });

  it("records a list of only garbage as ok with invalidLines (the go command ignores such lines)", async () => {
    handler = reply(200, "hello\nworld\n");
    const o = expectOk(await client().list("example.com/m"));
    expect(o.data.versions).toEqual([]);
    expect(o.data.invalidLines).toBe(2);
  });

  it("decodes a gzip-encoded answer", async () => {
    handler = reply(200, gzipSync("v1.0.0\nv1.1.0\n"), { "content-encoding": "gzip" });
    const o = expectOk(await client().list("example.com/m"));
    expect(o.data.versions).toEqual(["v1.0.0", "v1.1.0"]);
  });

  it("treats an HTML page served with 200 as malformed (content-type or body sniffing)", async () => {
    handler = reply(200, "<html><body>captive portal</body></html>", { "content-type": "text/html" });
    const a = expectError(await client().list("example.com/m"), "malformed");
    expect(a.message).toBe("expected a version list but got an HTML page");
    expect(a.status).toBe(200);
    handler = reply(200, "\n  <!DOCTYPE html>\n<html></html>", { "content-type": "text/plain" });
    expectError(await client().list("example.com/m"), "malformed");
  });
});

describe("URLs", () => {
  it("escapes uppercase as !x, sends ! as %21, and keeps a base path prefix with trailing slash", async () => {
    handler = reply(200, "v1.0.0\n");
    const c = client({ baseUrl: `${baseUrl}/prefix/` });
    expectOk(await c.list("github.com/BurntSushi/toml"));
    handler = reply(200, JSON.stringify({ Version: "v1.5.3-PRE" }));
    expectOk(await c.info("github.com/BurntSushi/toml", "v1.5.3-PRE"));
    handler = reply(200, "module github.com/BurntSushi/toml\n");
    expectOk(await c.mod("github.com/BurntSushi/toml", "v2.0.0+incompatible"));
    handler = reply(200, JSON.stringify({ Version: "v1.0.0" }));
    expectOk(await c.latest("github.com/BurntSushi/toml"));
    expect(seen.map((s) => s.url)).toEqual([
      "/prefix/github.com/%21burnt%21sushi/toml/@v/list",
      "/prefix/github.com/%21burnt%21sushi/toml/@v/v1.5.3-%21p%21r%21e.info",
      "/prefix/github.com/%21burnt%21sushi/toml/@v/v2.0.0+incompatible.mod",
      "/prefix/github.com/%21burnt%21sushi/toml/@latest",
    ]);
  });

  it("rejects an invalid module path as a caller error before any request", async () => {
    await expect(client().list("Not A Path")).rejects.toThrow();
    expect(seen).toHaveLength(0);
  });

  it("rejects a non-http base URL at construction", () => {
    expect(() => createMirrorClient({ baseUrl: "ftp://x.example", timeoutMs: 10 })).toThrow();
    expect(() => createMirrorClient({ baseUrl: "not a url", timeoutMs: 10 })).toThrow();
  });
});

describe("not found and HTTP errors", () => {
  it("maps 404 to not_found with at most 8 lines of a text/plain body, as the go command shows it", async () => {
    const body = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    handler = reply(404, body, { "cache-control": "public, max-age=60" });
    const o = expectNotFound(await client().list("example.com/m"));
    expect(o.status).toBe(404);
    expect(o.message).toBe(
      [...Array.from({ length: 8 }, (_, i) => `line ${i + 1}`), "[Truncated: too many lines.]"].join("\n"),
    );
    expect(o.headers.cacheControl).toBe("public, max-age=60");
  });

  it("maps 410 to not_found and trims the message (CRLF, trailing newline, stops at a blank line)", async () => {
    handler = reply(410, "not found: example.com/m@v9.9.9: invalid version\r\nsecond line\r\n\r\nhidden\n");
    const o = expectNotFound(await client().info("example.com/m", "v9.9.9"));
    expect(o.status).toBe(410);
    expect(o.message).toBe("not found: example.com/m@v9.9.9: invalid version\nsecond line");
  });

  it("gives a null message for non-text/plain or empty 404 bodies", async () => {
    handler = reply(404, '{"error":"nope"}', { "content-type": "application/json" });
    expect(expectNotFound(await client().list("example.com/m")).message).toBeNull();
    handler = reply(404, "");
    expect(expectNotFound(await client().zip("example.com/m", "v1.0.0")).message).toBeNull();
  });

  it("keeps the 404 verdict when the error body is cut off, with what arrived as the message", async () => {
    handler = (_req, res) => {
      res.writeHead(404, { "content-type": "text/plain", "content-length": "100" });
      res.write("not found: example.com/m@v1.0.0\n");
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const o = expectNotFound(await client().info("example.com/m", "v1.0.0"));
    expect(o.message).toBe("not found: example.com/m@v1.0.0");
  });

  it("formats error details like cmd/go/internal/web", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(formatErrorDetail(enc("a\u001b[31mred"))).toBeNull();
    expect(formatErrorDetail(new Uint8Array([0x66, 0xff, 0x0a]))).toBeNull();
    expect(formatErrorDetail(enc("x".repeat(700)))).toBe("[Truncated: too long.]");
    expect(formatErrorDetail(enc("\nafter blank"))).toBeNull();
  });

  it("maps 500 to http_status with the first line of the body", async () => {
    handler = reply(500, "\ninternal oops\nstack trace...\n");
    const o = expectError(await client().list("example.com/m"), "http_status");
    expect(o.status).toBe(500);
    expect(o.message).toBe("HTTP 500: internal oops");
    expect(o.headers).not.toBeNull();
  });

  it("uses the title of an HTML error page, and just the status for an empty body", async () => {
    handler = reply(502, "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>", {
      "content-type": "text/html",
    });
    expect(expectError(await client().list("example.com/m"), "http_status").message).toBe("HTTP 502: 502 Bad Gateway");
    handler = reply(503, "");
    expect(expectError(await client().list("example.com/m"), "http_status").message).toBe("HTTP 503");
  });
});

describe("timeouts", () => {
  it("times out when the server never answers", async () => {
    handler = () => undefined;
    const o = expectError(await client({ timeoutMs: 150 }).list("example.com/m"), "timeout");
    expect(o.message).toMatch(/^timed out after 150 ms waiting for response headers$/);
    expect(o.status).toBeNull();
    expect(o.headers).toBeNull();
    expect(o.latencyMs).toBeGreaterThanOrEqual(140);
    expect(o.latencyMs).toBeLessThan(3000);
  });

  it("times out when the server sends headers then hangs mid-body", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "100", "cache-control": "max-age=60" });
      res.write("v1.0.0\n");
    };
    const o = expectError(await client({ timeoutMs: 200 }).list("example.com/m"), "timeout");
    expect(o.status).toBe(200);
    expect(o.headers?.cacheControl).toBe("max-age=60");
    expect(o.message).toMatch(/^timed out after 200 ms reading the body \(7 bytes received\)$/);
    expect(o.latencyMs).toBeGreaterThanOrEqual(190);
  });

  it("succeeds when a slow answer arrives within the timeout, latency covering the wait", async () => {
    handler = (_req, res) => {
      setTimeout(() => reply(200, "v1.0.0\n")(_req, res), 150);
    };
    const o = expectOk(await client({ timeoutMs: 3000 }).list("example.com/m"));
    expect(o.data.versions).toEqual(["v1.0.0"]);
    expect(o.latencyMs).toBeGreaterThanOrEqual(140);
  });

  it("measures latency from request start to body end with the injected clock", async () => {
    handler = reply(200, "v1.0.0\n");
    const ticks = [1000, 1250];
    const o = expectOk(await client({ now: () => ticks.shift() ?? 9999 }).list("example.com/m"));
    expect(o.latencyMs).toBe(250);
  });
});

describe("network faults", () => {
  it("reports a body truncated by a socket reset (Content-Length mismatch)", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "100" });
      res.write("v1.0.0\nv1.");
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const o = expectError(await client().list("example.com/m"), "network");
    expect(o.status).toBe(200);
    expect(o.message).toMatch(/^body truncated after 10 of 100 bytes: .+\([A-Z_]+\)$/);
  });

  it("reports a chunked body cut off mid-stream", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/zip" });
      res.write(Buffer.alloc(50));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const o = expectError(await client().zip("example.com/m", "v1.0.0"), "network");
    expect(o.message).toMatch(/^body truncated after 50 bytes: /);
  });

  it("reports connection refused with its code", async () => {
    const tmp = createServer();
    await new Promise<void>((resolve) => tmp.listen(0, "127.0.0.1", resolve));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((resolve) => tmp.close(() => resolve()));
    const o = expectError(await client({ baseUrl: `http://127.0.0.1:${port}` }).list("example.com/m"), "network");
    expect(o.message).toBe("connection refused (ECONNREFUSED)");
    expect(o.status).toBeNull();
  });

  it("never rejects when an injected fetch throws something odd", async () => {
    const weird = (() => {
      throw "boom";
    }) as unknown as typeof fetch;
    const o = expectError(await client({ fetch: weird }).list("example.com/m"), "network");
    expect(o.message).toBe("boom");
  });

  it("detects a short body from a fetch that does not check Content-Length", async () => {
    const fake = (async () =>
      new Response("v1.0.0\n", { status: 200, headers: { "content-length": "50" } })) as unknown as typeof fetch;
    const o = expectError(await client({ fetch: fake }).list("example.com/m"), "network");
    expect(o.message).toBe("body truncated after 7 of 50 bytes");
  });
});

describe("size caps", () => {
  it("aborts a streamed body as soon as it exceeds the cap", async () => {
    let written = 0;
    let closed = false;
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.on("close", () => (closed = true));
      const pump = () => {
        if (closed || written >= 200) return res.end();
        written++;
        res.write(Buffer.alloc(16 * 1024, 0x61));
        setTimeout(pump, 5);
      };
      pump();
    };
    const o = expectError(await client({ maxTextBytes: 64 * 1024 }).list("example.com/m"), "too_large");
    expect(o.message).toBe("response larger than 64 KiB");
    expect(o.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(true);
    expect(written).toBeLessThan(40);
  });

  it("refuses an announced Content-Length over the cap without waiting for the body", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(10 * 1024 * 1024) });
      res.flushHeaders();
    };
    const o = expectError(await client({ maxZipBytes: 1024 * 1024, timeoutMs: 5000 }).zip("example.com/m", "v1.0.0"), "too_large");
    expect(o.message).toBe("response larger than 1 MiB (Content-Length: 10485760)");
    expect(o.latencyMs).toBeLessThan(2000);
  });

  it("uses a 4 MiB default cap for text", async () => {
    handler = reply(200, Buffer.alloc(4 * 1024 * 1024 + 1, 0x61));
    expect(expectError(await client().mod("example.com/m", "v1.0.0"), "too_large").message).toMatch(/^response larger than 4 MiB/);
  });
});

describe("info and latest", () => {
  it("parses .info, ignoring an Origin object", async () => {
    handler = reply(200, JSON.stringify({ Version: "v1.2.3", Time: "2024-01-02T03:04:05Z", Origin: { VCS: "git" } }), {
      "content-type": "application/json",
    });
    const o = expectOk(await client().info("example.com/m", "v1.2.3"));
    expect(o.data.version).toBe("v1.2.3");
    expect(o.data.time?.toISOString()).toBe("2024-01-02T03:04:05.000Z");
    expect(seen[0]?.url).toBe("/example.com/m/@v/v1.2.3.info");
  });

  it("reports malformed .info JSON and a missing Version", async () => {
    handler = reply(200, '{"Version": "v1.2.3"', { "content-type": "application/json" });
    expect(expectError(await client().info("example.com/m", "v1.2.3"), "malformed").message).toMatch(/^malformed \.info JSON: /);
    handler = reply(200, '{"Time":"2024-01-02T03:04:05Z"}');
    expectError(await client().info("example.com/m", "v1.2.3"), "malformed");
  });

  it("reports an .info for another version than the one asked for", async () => {
    handler = reply(200, JSON.stringify({ Version: "v1.2.4" }));
    expect(expectError(await client().info("example.com/m", "v1.2.3"), "malformed").message).toBe(
      "mirror returned info for version v1.2.4 instead of requested version v1.2.3",
    );
  });

  it("accepts another version for a non-canonical query, as the go command does", async () => {
    handler = reply(200, JSON.stringify({ Version: "v1.2.0" }));
    expect(expectOk(await client().info("example.com/m", "v1.2")).data.version).toBe("v1.2.0");
    expect(expectOk(await client().info("example.com/m", "master")).data.version).toBe("v1.2.0");
  });

  it("treats an HTML .info as malformed", async () => {
    handler = reply(200, "<!doctype html><html></html>", { "content-type": "text/html; charset=utf-8" });
    expect(expectError(await client().info("example.com/m", "v1.2.3"), "malformed").message).toBe(
      "expected .info JSON but got an HTML page",
    );
  });

  it("parses @latest", async () => {
    handler = reply(200, JSON.stringify({ Version: "v0.0.0-20240101120000-abcdef123456", Time: "2024-01-01T12:00:00Z" }));
    const o = expectOk(await client().latest("example.com/m"));
    expect(o.data.version).toBe("v0.0.0-20240101120000-abcdef123456");
    expect(seen[0]?.url).toBe("/example.com/m/@latest");
    handler = reply(200, "nope");
    expect(expectError(await client().latest("example.com/m"), "malformed").message).toMatch(/^malformed @latest JSON: /);
  });
});

describe("mod", () => {
  it("returns the text, its h1 over the served bytes, and the parse", async () => {
    const text = "// Deprecated: use example.com/m/v2\nmodule example.com/m\n\ngo 1.21\n\n// broken\nretract v1.0.1\n";
    handler = reply(200, text);
    const o = expectOk(await client().mod("example.com/m", "v1.0.2"));
    expect(o.data.text).toBe(text);
    expect(o.data.h1).toBe(h1GoMod(new TextEncoder().encode(text)));
    expect(o.data.parsed.module).toBe("example.com/m");
    expect(o.data.parsed.deprecated).toBe("use example.com/m/v2");
    expect(o.data.parsed.retractions).toEqual([{ low: "v1.0.1", high: "v1.0.1", rationale: "broken" }]);
    expect(seen[0]?.url).toBe("/example.com/m/@v/v1.0.2.mod");
  });

  it("keeps a go.mod without a module line when it still looks like a go.mod", async () => {
    handler = reply(200, "go 1.21\nrequire example.com/x v1.0.0\n");
    expect(expectOk(await client().mod("example.com/m", "v1.0.0")).data.parsed.module).toBeNull();
  });

  it("rejects invalid UTF-8, HTML and garbage as malformed", async () => {
    handler = reply(200, new Uint8Array([0x6d, 0x6f, 0xff, 0xfe, 0x00, 0x01]), { "content-type": "application/octet-stream" });
    expect(expectError(await client().mod("example.com/m", "v1.0.0"), "malformed").message).toBe("go.mod is not valid UTF-8");
    handler = reply(200, "<html><body>oops</body></html>");
    expect(expectError(await client().mod("example.com/m", "v1.0.0"), "malformed").message).toBe(
      "expected a go.mod but got an HTML page",
    );
    handler = reply(200, "Service temporarily unavailable, try again later\n");
    expect(expectError(await client().mod("example.com/m", "v1.0.0"), "malformed").message).toMatch(/^expected a go\.mod but got: /);
  });
});

describe("zip", () => {
  const vectors = JSON.parse(readFileSync(new URL("./testdata/xmod-test-vectors.json", import.meta.url), "utf8")) as {
    hash1: { items: { zipEntries?: Record<string, string>; h1?: string }[] };
  };
  const vector = vectors.hash1.items.find((i) => i.zipEntries !== undefined);

  it("streams and hashes a module zip, stored and deflated entries, and leaves no file behind", async () => {
    const files = { "go.mod": "module example.com/m\n", "a.go": "package m\n", "sub/b.go": "package sub\n" };
    const entries = Object.entries(files).map(([name, data], i) => ({ name: `example.com/m@v1.0.0/${name}`, data, deflate: i % 2 === 0 }));
    const zip = buildZip(entries);
    handler = reply(200, zip, { "content-type": "application/zip" });
    const tmp = mkdtempSync(join(tmpdir(), "client-zip-"));
    try {
      const o = expectOk(await client({ tmpDir: tmp }).zip("example.com/m", "v1.0.0"));
      expect(o.data).toEqual({ h1: hashZip(zip), bytes: zip.byteLength });
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    expect(seen[0]?.url).toBe("/example.com/m/@v/v1.0.0.zip");
  });

  it("hashes like x/mod dirhash but refuses what x/mod/zip's checkZip refuses (the dirhash vector has no module prefix)", async () => {
    if (vector?.zipEntries === undefined || vector.h1 === undefined) throw new Error("zip vector missing");
    const entries = Object.entries(vector.zipEntries).map(([name, data], i) => ({ name, data, deflate: i % 2 === 0 }));
    const zip = buildZip(entries);
    expect(hashZip(zip)).toBe(vector.h1);
    handler = reply(200, zip, { "content-type": "application/zip" });
    expect(expectError(await client().zip("example.com/m", "v1.0.0"), "malformed").message).toMatch(
      /^not a valid module zip: .*: path does not have prefix "example\.com\/m@v1\.0\.0\/"$/,
    );
  });

  it("refuses entries that escape the module directory", async () => {
    for (const bad of ["../evil.go", "a/../../evil.go", "./a.go", "a//b.go"]) {
      handler = reply(200, buildZip([{ name: `example.com/m@v1.0.0/${bad}`, data: "x", deflate: false }]), { "content-type": "application/zip" });
      expect(expectError(await client().zip("example.com/m", "v1.0.0"), "malformed").message).toMatch(/file path is not clean|malformed file path/);
    }
  });

  it("caps a zip at maxZipBytes while streaming, with its own timeout", async () => {
    handler = reply(200, new Uint8Array(64 * 1024), { "content-type": "application/zip" });
    expect(expectError(await client({ maxZipBytes: 1024 }).zip("example.com/m", "v1.0.0"), "too_large").message).toBe("response larger than 1 KiB");
  });

  it("reports a body that is not a zip as malformed", async () => {
    handler = reply(200, "definitely not a zip", { "content-type": "application/zip" });
    expect(expectError(await client().zip("example.com/m", "v1.0.0"), "malformed").message).toMatch(/^not a valid module zip: /);
    handler = reply(200, "<!DOCTYPE html><html></html>", { "content-type": "text/html" });
    expect(expectError(await client().zip("example.com/m", "v1.0.0"), "malformed").message).toBe(
      "expected a zip but got an HTML page",
    );
  });
});

describe("headers", () => {
  it("sends Disable-Module-Fetch: true only when passive", async () => {
    handler = reply(200, "v1.0.0\n");
    const passive = client({ passive: true });
    expect(passive.passive).toBe(true);
    await passive.list("example.com/m");
    await client().list("example.com/m");
    expect(seen[0]?.headers["disable-module-fetch"]).toBe("true");
    expect(seen[1]?.headers["disable-module-fetch"]).toBeUndefined();
  });

  it("captures Cache-Control and Age", async () => {
    handler = reply(200, "v1.0.0\n", { "cache-control": "public, max-age=60", age: "37" });
    expect(expectOk(await client().list("example.com/m")).headers).toEqual({ cacheControl: "public, max-age=60", age: 37 });
    handler = reply(200, "v1.0.0\n", { age: "soon" });
    expect(expectOk(await client().list("example.com/m")).headers).toEqual({ cacheControl: null, age: null });
  });
});
