import { describe, expect, it } from "vitest";
import { createMirrorClient } from "./client";
import { MAX_REDIRECTS, isNonPublicAddress, refuseRedirect } from "./redirects";
import type { ResolveHost } from "./redirects";

const hosts: Record<string, string[]> = {
  "mirror.example": ["93.184.216.34"],
  "cdn.example": ["151.101.1.1", "2606:4700::1111"],
  "evil.example": ["151.101.1.2", "10.0.0.5"],
  "rebind.example": ["127.0.0.1"],
  "v6-local.example": ["fd12:3456::1"],
};
const resolveHost: ResolveHost = async (host) => {
  const found = hosts[host];
  if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return found;
};

describe("isNonPublicAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["100.128.0.1", false],
    ["0.0.0.0", true],
    ["8.8.8.8", false],
    ["93.184.216.34", false],
    ["203.0.113.10", true],
    ["::1", true],
    ["::", true],
    ["fe80::1", true],
    ["fd00::1", true],
    ["fc00::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:8.8.8.8", false],
    ["64:ff9b::a00:1", true],
    ["64:ff9b::808:808", true],
    ["[::1]", true],
    ["fe80::1%eth0", true],
    ["2001:db8::1", true],
    ["2606:4700::1111", false],
    ["2400:cb00::1", false],
    ["not an address", true],
  ])("%s → %s", (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });
});

describe("refuseRedirect", () => {
  const https = new URL("https://mirror.example/m/@v/list");
  const options = { allowNonPublic: false, resolveHost };
  it("follows a public https redirect", async () => {
    expect(await refuseRedirect(https, https, new URL("https://cdn.example/x"), 0, options)).toBeNull();
  });
  it("refuses what the go command refuses: https to http, and the 11th hop", async () => {
    expect(await refuseRedirect(https, new URL("https://cdn.example/a"), new URL("http://cdn.example/b"), 1, options)).toBe(
      "redirected from secure URL https://cdn.example/a to insecure URL http://cdn.example/b",
    );
    expect(await refuseRedirect(https, https, new URL("https://cdn.example/x"), MAX_REDIRECTS, options)).toBe("stopped after 10 redirects");
  });
  it("refuses non-public targets, by literal address or by what a name resolves to (any of its addresses)", async () => {
    for (const target of ["https://127.0.0.1/x", "https://[::1]/x", "https://169.254.169.254/latest/meta-data", "https://evil.example/x", "https://rebind.example/x", "https://v6-local.example/x"]) {
      expect(await refuseRedirect(https, https, new URL(target), 0, options), target).toMatch(/a loopback, link-local or private address: not followed$/);
    }
    expect(await refuseRedirect(https, https, new URL("https://nowhere.example/x"), 0, options)).toBe("redirected to nowhere.example, which does not resolve: getaddrinfo ENOTFOUND nowhere.example");
  });
  it("refuses other schemes and credentials in the URL", async () => {
    expect(await refuseRedirect(https, https, new URL("file:///etc/passwd"), 0, options)).toBe("redirected to file:///etc/passwd: only http and https are followed");
    expect(await refuseRedirect(https, https, new URL("https://u:p@cdn.example/x"), 0, options)).toBe("redirected to a URL with credentials in it (cdn.example): not followed");
  });
  it("lets a mirror on a non-public address redirect within non-public addresses (a simulator, a LAN proxy)", async () => {
    const local = new URL("http://127.0.0.1:9000/m/@v/list");
    expect(await refuseRedirect(local, local, new URL("http://127.0.0.1:9001/m/@v/list"), 0, { allowNonPublic: true, resolveHost })).toBeNull();
  });
});

/** A fake mirror: each URL answers what the table says; every request is logged. */
function fakeFetch(routes: Record<string, () => Response>, log: string[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    log.push(`${init?.redirect ?? "follow"} ${url}`);
    const route = routes[url];
    return route ? route() : new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
  }) as typeof fetch;
}
const redirect = (to: string, status = 302) => () => new Response(null, { status, headers: { location: to } });
const list = () => new Response("v1.0.0\nv1.1.0\n", { status: 200, headers: { "content-type": "text/plain" } });

describe("the mirror client and redirects", () => {
  it("follows hop by hop and records where the answer came from", async () => {
    const log: string[] = [];
    const client = createMirrorClient({
      baseUrl: "https://mirror.example",
      timeoutMs: 1000,
      resolveHost,
      fetch: fakeFetch({ "https://mirror.example/example.com/m/@v/list": redirect("/moved/list", 301), "https://mirror.example/moved/list": redirect("https://cdn.example/list", 307), "https://cdn.example/list": list }, log),
    });
    const outcome = await client.list("example.com/m");
    expect(outcome).toMatchObject({ outcome: "ok", status: 200, finalUrl: "https://cdn.example/list", data: { versions: ["v1.0.0", "v1.1.0"] } });
    expect(log).toEqual(["manual https://mirror.example/example.com/m/@v/list", "manual https://mirror.example/moved/list", "manual https://cdn.example/list"]);
  });

  it("a refused redirect is a network error naming the refusal, and the refused URL is never asked", async () => {
    const log: string[] = [];
    const client = createMirrorClient({
      baseUrl: "https://mirror.example",
      timeoutMs: 1000,
      resolveHost,
      fetch: fakeFetch({ "https://mirror.example/example.com/m/@v/list": redirect("http://169.254.169.254/latest/meta-data/") }, log),
    });
    expect(await client.list("example.com/m")).toMatchObject({
      outcome: "error",
      status: 302,
      reason: "network",
      message: "redirected from secure URL https://mirror.example/example.com/m/@v/list to insecure URL http://169.254.169.254/latest/meta-data/",
    });
    expect(log).toHaveLength(1);
  });

  it("stops a redirect loop after 10 hops", async () => {
    const log: string[] = [];
    const client = createMirrorClient({ baseUrl: "https://mirror.example", timeoutMs: 1000, resolveHost, fetch: fakeFetch({ "https://mirror.example/example.com/m/@v/list": redirect("https://mirror.example/example.com/m/@v/list") }, log) });
    expect(await client.list("example.com/m")).toMatchObject({ outcome: "error", reason: "network", message: "stopped after 10 redirects" });
    expect(log).toHaveLength(11);
  });

  it("a not-found answer after a redirect keeps its go-style message and says where it came from", async () => {
    const client = createMirrorClient({
      baseUrl: "https://mirror.example",
      timeoutMs: 1000,
      resolveHost,
      fetch: fakeFetch({ "https://mirror.example/example.com/m/@v/v1.0.0.info": redirect("https://cdn.example/info") }, []),
    });
    expect(await client.info("example.com/m", "v1.0.0")).toMatchObject({ outcome: "not_found", status: 404, message: "not found", finalUrl: "https://cdn.example/info" });
  });

  it("a 3xx without a Location is the answer itself", async () => {
    const client = createMirrorClient({ baseUrl: "https://mirror.example", timeoutMs: 1000, resolveHost, fetch: fakeFetch({ "https://mirror.example/example.com/m/@v/list": () => new Response("moved", { status: 302 }) }, []) });
    expect(await client.list("example.com/m")).toMatchObject({ outcome: "error", status: 302, reason: "http_status" });
  });
});
