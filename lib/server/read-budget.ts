// The per-client read budget (issue 12): GET and HEAD of pages and of the API, counted in lib/server/http-server.ts
// before Next renders anything, so a refused read costs a map look-up and a few hundred bytes, never a render.

import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientAddress, clientKeyOf } from "./client-identity";
import type { TrustProxy } from "./client-identity";
import { LOCALES, negotiateLocale, translate } from "@/lib/i18n";
import type { Locale } from "@/lib/i18n";

export type ReadBudget = {
  /** Spends one read if the client has one left; otherwise says how many seconds until it will. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Clients held (the overflow budget included): at most maxKeys + 1. */
  size(): number;
};

/** A client's reads in the fixed window `window` (its index: now / windowMs) and in the one before it. */
type Counter = { window: number; previous: number; current: number };

/**
 * A sliding-window counter per client (two fixed windows, the previous one weighted by how much of it still
 * overlaps the sliding window): O(1) memory per client whatever the budget, unlike a log of timestamps.
 * Clients live in two generations, those who read in this window and those who read only in the one before; at
 * each new window the older generation is dropped whole (their estimate is 0: forgetting them changes nothing), so
 * no read ever walks the table. At most `maxKeys` clients in all; while that many read in the last two windows,
 * newcomers share one overflow budget, so a flood of made-up keys can neither push a real client out nor refill
 * its budget.
 */
export function createReadBudget(options: { limit: number; windowMs: number; now: () => number; maxKeys?: number }): ReadBudget {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 20_000;
  let window = -Infinity;
  let current = new Map<string, Counter>();
  let previous = new Map<string, Counter>();
  const overflow: Counter = { window: -Infinity, previous: 0, current: 0 };

  /** Moves to `now`'s window; a clock set back stays in the window it had reached. */
  const advance = (now: number): number => {
    const w = Math.floor(now / windowMs);
    if (w > window) {
      previous = w === window + 1 ? current : new Map();
      current = new Map();
      window = w;
    }
    return window;
  };
  const roll = (counter: Counter, w: number) => {
    if (w > counter.window) {
      counter.previous = counter.window === w - 1 ? counter.current : 0;
      counter.current = 0;
      counter.window = w;
    }
  };

  return {
    take(key) {
      if (limit <= 0) return { ok: true };
      const now = options.now();
      const w = advance(now);
      let counter = current.get(key);
      if (!counter) {
        counter = previous.get(key);
        if (counter) {
          previous.delete(key);
          current.set(key, counter);
        } else if (current.size + previous.size < maxKeys) {
          counter = { window: w, previous: 0, current: 0 };
          current.set(key, counter);
        } else {
          counter = overflow;
        }
      }
      roll(counter, w);
      const elapsed = Math.min(1, Math.max(0, (now - w * windowMs) / windowMs));
      const estimate = counter.previous * (1 - elapsed) + counter.current;
      if (estimate + 1 > limit) return { ok: false, retryAfterSeconds: retryAfter(counter, elapsed, limit, windowMs) };
      counter.current++;
      return { ok: true };
    },
    size: () => current.size + previous.size + (overflow.window > -Infinity && overflow.window >= window - 1 ? 1 : 0),
  };
}

/** Seconds until the estimate leaves room for one more read, as the weight of the previous window decays. */
function retryAfter(counter: Counter, elapsed: number, limit: number, windowMs: number): number {
  const room = limit - 1;
  let wait: number;
  if (counter.current <= room && counter.previous > 0) {
    // previous × (1 − f) + current ≤ room, later in this window.
    wait = (1 - (room - counter.current) / counter.previous - elapsed) * windowMs;
  } else {
    // Not this window: in the next, this window's reads are the decaying ones (current × (1 − g) ≤ room).
    wait = (1 - elapsed) * windowMs + Math.max(0, 1 - room / Math.max(counter.current, 1)) * windowMs;
  }
  return Math.max(1, Math.ceil(wait / 1000));
}

/**
 * Whether a request is a read the budget counts: GET and HEAD of pages and of /api/*, RSC navigations and prefetches
 * included (they render on the server too, and `Next-Router-Prefetch` is a header anyone can send). Exempt: build
 * assets (immutable files Next serves from disk), Next's development tooling, the icon and the health check.
 */
export function isCountedRead(method: string | undefined, url: string | undefined): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const path = (url ?? "/").split("?", 1)[0] ?? "/";
  if (path.startsWith("/_next/static/") || path.startsWith("/_next/webpack-hmr") || path.startsWith("/__nextjs")) return false;
  return path !== "/healthz" && path !== "/icon.svg" && path !== "/favicon.ico";
}

const STYLE =
  "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;margin:0;padding:12vh 24px;color:#1f2328;background:#f6f8fa}" +
  "main{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px 28px}" +
  "h1{font-size:1.35rem;margin:0 0 .5rem}section+section{margin-top:1.5rem;padding-top:1rem;border-top:1px solid #d0d7de}section+section h1{font-size:1.15rem}p{margin:.25rem 0}a{color:#0969da}" +
  "@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main,section+section{border-color:#30363d}main{background:#161b22}a{color:#4493f8}}";
// A policy for this page alone (it is answered before Next, so the app's headers never reach it): its one style.
const CSP = `default-src 'none'; img-src 'self'; style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/**
 * The page a browser shows when its reads are spent: in both languages (no page of ours has run to say which the
 * visitor chose), the one negotiated as the app would (?lang=, the lang cookie, Accept-Language) first.
 */
export function overBudgetPage(limit: number, retryAfterSeconds: number, locale: Locale = "en"): string {
  const section = (l: Locale) => `<section lang="${l}"><h1>${translate(l, "readBudget.title")}</h1>
<p>${translate(l, "readBudget.body", { limit, seconds: retryAfterSeconds })}</p>
<p><a href="/?lang=${l}">${translate(l, "readBudget.back")}</a></p></section>`;
  const order = [locale, ...LOCALES.filter((l) => l !== locale)];
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="/icon.svg" type="image/svg+xml">
<title>${order.map((l) => translate(l, "readBudget.title")).join(" · ")} — mirrorlag</title><style>${STYLE}</style></head>
<body><main>
${order.map(section).join("\n")}
</main></body></html>
`;
}

/** The visitor's language as the app's pages negotiate it, from the raw request (cheap: no Next involved). */
function requestLocale(req: IncomingMessage): Locale {
  const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "").get("lang");
  const cookie = /(?:^|;\s*)lang=([^;]*)/.exec(req.headers.cookie ?? "")?.[1] ?? null;
  return negotiateLocale({ query, cookie, acceptLanguage: req.headers["accept-language"] ?? null });
}

/**
 * The custom server's hook: counts the read against its client (the stamped TCP peer, or with TRUST_PROXY the
 * address the trusted proxies forwarded, IPv6 per /64) and, when the budget is spent, answers 429 itself.
 * Returns true when it answered (the request must not reach Next).
 */
export function createReadGate(options: { limit: number; trustProxy: TrustProxy; now?: () => number; maxKeys?: number }) {
  const budget = createReadBudget({ limit: options.limit, windowMs: 60_000, now: options.now ?? Date.now, maxKeys: options.maxKeys });
  return {
    budget,
    refuse(req: IncomingMessage, res: ServerResponse): boolean {
      if (options.limit <= 0 || !isCountedRead(req.method, req.url)) return false;
      const forwarded = req.headers["x-forwarded-for"];
      const key = clientKeyOf(clientAddress(req.socket.remoteAddress ?? null, Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? null), options.trustProxy));
      const taken = budget.take(key);
      if (taken.ok) return false;
      const seconds = taken.retryAfterSeconds;
      const api = (req.url ?? "").startsWith("/api/");
      const body = api
        ? JSON.stringify({ error: `too many reads: at most ${options.limit} a minute; retry in ${seconds} s` })
        : overBudgetPage(options.limit, seconds, requestLocale(req));
      res.writeHead(429, {
        "Content-Type": api ? "application/json" : "text/html; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
        "Retry-After": String(seconds),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": api ? "default-src 'none'; frame-ancestors 'none'" : CSP,
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    },
  };
}
