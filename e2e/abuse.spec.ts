import { expect, test } from "@playwright/test";
import { readE2eState } from "./e2e-state";

// global-setup starts the app with RATE_LIMIT_PER_MINUTE=30 and TRUST_PROXY=loopback: the key is the client the
// (loopback) requester forwards, the last X-Forwarded-For address that is not loopback.
const LIMIT = 30;

test("the check rate limit holds under a burst from one client while another client is served", async ({ request }) => {
  const { modules } = readE2eState();
  const [target] = modules;
  if (!target) throw new Error("the demo scenario has modules");
  const greedy = { "x-forwarded-for": "203.0.113.66, 10.0.0.1" };
  const polite = { "x-forwarded-for": "203.0.113.67" };
  const post = (headers: Record<string, string>) => request.post("/api/checks", { data: { module: target }, headers });

  // The burst and the other client's requests interleave: all in flight at once.
  const burst = Array.from({ length: LIMIT + 10 }, () => post(greedy));
  const others = Array.from({ length: 3 }, () => post(polite));
  const [burstResponses, otherResponses] = await Promise.all([Promise.all(burst), Promise.all(others)]);

  const statuses = burstResponses.map((r) => r.status());
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  for (const res of burstResponses.filter((r) => r.status() === 429)) {
    const retryAfter = Number(res.headers()["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await res.json()).error).toBe(`too many checks: at most ${LIMIT} a minute; retry in ${retryAfter} s`);
  }
  for (const res of otherResponses) {
    expect(res.status()).toBe(200);
    expect((await res.json()).check.module).toBe(target);
  }

  // Still limited afterwards (the window has not moved), still served for the other client.
  expect((await post(greedy)).status()).toBe(429);
  expect((await post(polite)).status()).toBe(200);
  // Bad input is refused before the limiter: it neither costs budget nor hides behind a 429.
  const invalid = await request.post("/api/checks", { data: { module: "Bad/path" }, headers: greedy });
  expect(invalid.status()).toBe(400);
});
