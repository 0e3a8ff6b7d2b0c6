import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { createReadBudget, createReadGate, isCountedRead, overBudgetPage } from "./read-budget";

describe("createReadBudget", () => {
  it("allows `limit` reads a minute per client, then says when the next one fits", () => {
    let now = 0;
    const budget = createReadBudget({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => budget.take("a").ok)).toEqual([true, true, true]);
    // All three in this window: the next fits once they weigh at most 2 in the sliding minute (a third into the next).
    expect(budget.take("a")).toEqual({ ok: false, retryAfterSeconds: 80 });
    expect(budget.take("b").ok).toBe(true);
    now = 30_000;
    expect(budget.take("a")).toEqual({ ok: false, retryAfterSeconds: 50 });
    now = 79_999;
    expect(budget.take("a").ok).toBe(false);
    now = 80_001;
    expect(budget.take("a").ok).toBe(true);
    expect(budget.take("a").ok).toBe(false);
  });

  it("weighs the previous minute by how much of it the sliding minute still covers", () => {
    let now = 59_000;
    const budget = createReadBudget({ limit: 10, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 10; i++) expect(budget.take("a").ok).toBe(true);
    // Half-way through the next minute the ten weigh five: five more, not ten (a fixed window would allow ten).
    now = 90_000;
    expect(Array.from({ length: 10 }, () => budget.take("a").ok).filter(Boolean)).toHaveLength(5);
    // Ten reads (5 now + 10 × 0.5) fill it; the 5 of this minute with the decaying ten leave room 6 s on.
    expect(budget.take("a")).toEqual({ ok: false, retryAfterSeconds: 6 });
    now = 96_001;
    expect(budget.take("a").ok).toBe(true);
  });

  it("refused reads do not count, and a minute without reads gives the whole budget back", () => {
    let now = 0;
    const budget = createReadBudget({ limit: 2, windowMs: 60_000, now: () => now });
    budget.take("a");
    budget.take("a");
    for (let i = 0; i < 50; i++) expect(budget.take("a").ok).toBe(false);
    now = 120_000;
    expect([budget.take("a").ok, budget.take("a").ok, budget.take("a").ok]).toEqual([true, true, false]);
  });

  it("is off at 0 and holds no client", () => {
    const budget = createReadBudget({ limit: 0, windowMs: 60_000, now: () => 0 });
    for (let i = 0; i < 100; i++) expect(budget.take(`k${i}`).ok).toBe(true);
    expect(budget.size()).toBe(0);
  });

  it("a clock set back does not start a fresh window", () => {
    let now = 119_000;
    const budget = createReadBudget({ limit: 2, windowMs: 60_000, now: () => now });
    budget.take("a");
    budget.take("a");
    now = 30_000;
    expect(budget.take("a").ok).toBe(false);
  });

  it("a full table forgets only clients idle for two windows; newcomers share the overflow budget meanwhile", () => {
    let now = 0;
    const budget = createReadBudget({ limit: 2, windowMs: 60_000, now: () => now, maxKeys: 2 });
    budget.take("a");
    now = 60_000;
    budget.take("b");
    budget.take("b");
    // The table is full of clients inside their windows: "c" and "d" share one budget, and "b" keeps its spent one.
    expect(budget.take("c").ok).toBe(true);
    expect(budget.take("d").ok).toBe(true);
    expect(budget.take("c").ok).toBe(false);
    expect(budget.take("b").ok).toBe(false);
    expect(budget.size()).toBe(3);
    // "a" last read in window 0: from window 2 on, forgetting it changes nothing, and "e" takes its place.
    now = 120_000;
    expect(budget.take("e").ok).toBe(true);
    expect(budget.take("e").ok).toBe(true);
    expect(budget.take("e").ok).toBe(false);
    expect(budget.size()).toBe(3);
  });
});

describe("isCountedRead", () => {
  it.each([
    ["GET", "/", true],
    ["HEAD", "/m/github.com/a/b", true],
    ["GET", "/m/github.com/a/b?_rsc=1x2y", true],
    ["GET", "/api/suggest?q=gin", true],
    ["GET", "/api/modules/github.com/a/b?at=12", true],
    ["POST", "/api/checks", false],
    ["POST", "/", false],
    ["GET", "/_next/static/chunks/app.js", false],
    ["GET", "/healthz", false],
    ["GET", "/healthz?x=1", false],
    ["GET", "/icon.svg", false],
    ["GET", "/favicon.ico", false],
    ["GET", "/healthz/x", true],
  ])("%s %s counted: %s", (method, url, counted) => {
    expect(isCountedRead(method, url)).toBe(counted);
  });
});

type Answer = { status: number; headers: Record<string, string | number>; body: string | undefined };

function fakeRequest(method: string, url: string, remoteAddress: string, headers: Record<string, string> = {}) {
  const req = Object.assign(new EventEmitter(), { method, url, headers, socket: { remoteAddress } }) as unknown as IncomingMessage;
  const answer: Answer = { status: 0, headers: {}, body: undefined };
  const res = {
    writeHead(status: number, h: Record<string, string | number>) {
      answer.status = status;
      answer.headers = h;
      return res;
    },
    end(body?: string) {
      answer.body = body;
    },
  } as unknown as ServerResponse;
  return { req, res, answer };
}

describe("createReadGate", () => {
  it("answers 429 with Retry-After itself: JSON for the API, a bilingual page otherwise, no body for HEAD", () => {
    const gate = createReadGate({ limit: 2, trustProxy: { kind: "off" }, now: () => 0 });
    for (let i = 0; i < 2; i++) {
      const { req, res, answer } = fakeRequest("GET", "/api/suggest?q=ab", "127.0.0.2");
      expect(gate.refuse(req, res)).toBe(false);
      expect(answer.status).toBe(0);
    }
    const api = fakeRequest("GET", "/api/suggest?q=ab", "127.0.0.2");
    expect(gate.refuse(api.req, api.res)).toBe(true);
    expect(api.answer.status).toBe(429);
    expect(api.answer.headers["Retry-After"]).toBe("90");
    expect(JSON.parse(api.answer.body ?? "")).toEqual({ error: "too many reads: at most 2 a minute; retry in 90 s" });

    const page = fakeRequest("GET", "/m/github.com/a/b", "127.0.0.2");
    expect(gate.refuse(page.req, page.res)).toBe(true);
    expect(page.answer.headers["Content-Type"]).toBe("text/html; charset=utf-8");
    expect(page.answer.body).toContain("Try again in 90 s");
    expect(page.answer.body).toContain("请在 90 秒后重试");

    const head = fakeRequest("HEAD", "/", "127.0.0.2");
    expect(gate.refuse(head.req, head.res)).toBe(true);
    expect(head.answer.body).toBeUndefined();

    // Exempt paths and writes pass whatever the budget; another client has its own.
    for (const [method, url] of [["GET", "/healthz"], ["GET", "/_next/static/x.js"], ["POST", "/api/checks"]] as const) {
      expect(gate.refuse(fakeRequest(method, url, "127.0.0.2").req, fakeRequest(method, url, "127.0.0.2").res)).toBe(false);
    }
    const other = fakeRequest("GET", "/", "127.0.0.3");
    expect(gate.refuse(other.req, other.res)).toBe(false);
  });

  it("keys on the TCP peer: a client's own X-Forwarded-For is believed only through trusted proxies", () => {
    const off = createReadGate({ limit: 1, trustProxy: { kind: "off" }, now: () => 0 });
    const spoofed = (i: number) => fakeRequest("GET", "/", "127.0.0.2", { "x-forwarded-for": `203.0.113.${i}` });
    const first = spoofed(1);
    expect(off.refuse(first.req, first.res)).toBe(false);
    const second = spoofed(2);
    expect(off.refuse(second.req, second.res)).toBe(true);

    const behindProxy = createReadGate({ limit: 1, trustProxy: { kind: "hops", hops: 1 }, now: () => 0 });
    const viaProxy = (i: number) => fakeRequest("GET", "/", "10.0.0.1", { "x-forwarded-for": `203.0.113.${i}` });
    expect(behindProxy.refuse(viaProxy(1).req, viaProxy(1).res)).toBe(false);
    expect(behindProxy.refuse(viaProxy(2).req, viaProxy(2).res)).toBe(false);
    const again = viaProxy(1);
    expect(behindProxy.refuse(again.req, again.res)).toBe(true);
  });

  it("limits IPv6 clients per /64", () => {
    const gate = createReadGate({ limit: 1, trustProxy: { kind: "off" }, now: () => 0 });
    const a = fakeRequest("GET", "/", "2001:db8:1:2::1");
    expect(gate.refuse(a.req, a.res)).toBe(false);
    const sameSlash64 = fakeRequest("GET", "/", "2001:db8:1:2:ffff::9");
    expect(gate.refuse(sameSlash64.req, sameSlash64.res)).toBe(true);
    const otherSlash64 = fakeRequest("GET", "/", "2001:db8:1:3::1");
    expect(gate.refuse(otherSlash64.req, otherSlash64.res)).toBe(false);
  });

  it("is off at 0", () => {
    const gate = createReadGate({ limit: 0, trustProxy: { kind: "off" }, now: () => 0 });
    for (let i = 0; i < 50; i++) {
      const { req, res } = fakeRequest("GET", "/", "127.0.0.2");
      expect(gate.refuse(req, res)).toBe(false);
    }
    expect(gate.budget.size()).toBe(0);
  });
});

describe("overBudgetPage", () => {
  it("says what happened and when to retry, in English and Chinese, with no script", () => {
    const html = overBudgetPage(600, 7);
    expect(html).toContain("more than 600 pages and API answers in a minute. Try again in 7 s.");
    expect(html).toContain("超过 600 次。请在 7 秒后重试。");
    expect(html).toContain('<html lang="en">');
    expect(html.indexOf("Too many requests</h1>")).toBeLessThan(html.indexOf("请求过多</h1>"));
    expect(html).not.toContain("<script");
  });

  it("puts the visitor's language first, negotiated as the app does (?lang=, the lang cookie, Accept-Language)", () => {
    const gate = createReadGate({ limit: 1, trustProxy: { kind: "off" }, now: () => 0 });
    const zhFirst = (html: string | undefined) => (html ?? "").indexOf("请求过多</h1>") < (html ?? "").indexOf("Too many requests</h1>");
    const refused = (url: string, headers: Record<string, string>) => {
      const { req, res, answer } = fakeRequest("GET", url, "127.0.0.2", headers);
      gate.refuse(req, res);
      expect(answer.status).toBe(429);
      return answer.body;
    };
    gate.refuse(fakeRequest("GET", "/", "127.0.0.2").req, fakeRequest("GET", "/", "127.0.0.2").res);
    expect(zhFirst(refused("/", { "accept-language": "zh-TW,zh;q=0.9,en;q=0.8" }))).toBe(true);
    expect(zhFirst(refused("/?lang=zh-CN", {}))).toBe(true);
    expect(zhFirst(refused("/", { cookie: "theme=dark; lang=zh-CN" }))).toBe(true);
    expect(zhFirst(refused("/?lang=en", { "accept-language": "zh-CN" }))).toBe(false);
    expect(zhFirst(refused("/", {}))).toBe(false);
    expect(refused("/?lang=zh-CN", {})).toContain('<html lang="zh-CN">');
  });
});
