import { describe, expect, it } from "vitest";
import { createMirrorRateCap } from "./mirror-rate-cap";
import { createWorkBudget } from "./work-budget";

const cap = createMirrorRateCap({ requestsPerSecond: 10, now: () => 0, sleep: () => Promise.resolve() });

describe("createWorkBudget", () => {
  it("admits work while each mirror's admitted requests fit in queueSeconds at the cap, then refuses with a retry time", () => {
    const budget = createWorkBudget({ cap, requestsPerSecond: 10, queueSeconds: 2 });
    const tickets = [];
    for (let i = 0; i < 6; i++) {
      const t = budget.admit({ a: 3, b: 3 });
      expect(t.ok).toBe(true);
      tickets.push(t);
    }
    expect(budget.pending()).toEqual({ a: 18, b: 18 });
    const refused = budget.admit({ a: 3, b: 3 });
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Work for another mirror still fits: the budget is per mirror.
    expect(budget.admit({ c: 3 }).ok).toBe(true);
    const first = tickets[0];
    if (!first?.ok) throw new Error("admitted");
    first.release();
    first.release();
    expect(budget.pending()).toMatchObject({ a: 15, b: 15 });
    expect(budget.admit({ a: 3, b: 3 }).ok).toBe(true);
  });

  it("says how long until the excess has drained at the cap's rate", () => {
    const budget = createWorkBudget({ cap, requestsPerSecond: 10, queueSeconds: 1 });
    expect(budget.admit({ a: 10 }).ok).toBe(true);
    expect(budget.admit({ a: 25 })).toEqual({ ok: false, retryAfterSeconds: 3 });
    expect(budget.wouldAdmit({ a: 1 })).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(budget.pending()).toEqual({ a: 10 });
  });

  it("always admits one piece of work, however big, into an empty queue", () => {
    const budget = createWorkBudget({ cap, requestsPerSecond: 1, queueSeconds: 1 });
    expect(budget.admit({ a: 50 }).ok).toBe(true);
    expect(budget.admit({ a: 1 }).ok).toBe(false);
  });

  it("queues background work first come first served, and new work does not overtake it", async () => {
    const budget = createWorkBudget({ cap, requestsPerSecond: 10, queueSeconds: 1 });
    const first = budget.admit({ a: 8 });
    if (!first.ok) throw new Error("admitted");
    const order: string[] = [];
    const big = budget.enter({ a: 6 }).then((t) => (order.push("big"), t));
    const small = budget.enter({ a: 1 }).then((t) => (order.push("small"), t));
    expect(budget.waiting()).toBe(2);
    // A small piece would fit beside the 8, but the waiting big one is ahead of it.
    expect(budget.admit({ a: 1 }).ok).toBe(false);
    first.release();
    const [bigTicket, smallTicket] = await Promise.all([big, small]);
    expect(order).toEqual(["big", "small"]);
    expect(budget.pending()).toEqual({ a: 7 });
    expect(budget.waiting()).toBe(0);
    bigTicket.release();
    smallTicket.release();
    expect(budget.pending()).toEqual({});
  });

  it("wakes only as many waiters as fit when one place frees", async () => {
    const budget = createWorkBudget({ cap, requestsPerSecond: 4, queueSeconds: 1 });
    const first = budget.admit({ a: 4 });
    if (!first.ok) throw new Error("admitted");
    let entered = 0;
    const waiting = Array.from({ length: 3 }, () => budget.enter({ a: 3 }).then((t) => (entered++, t)));
    first.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toBe(1);
    expect(budget.pending()).toEqual({ a: 3 });
    const tickets = await Promise.race(waiting);
    tickets.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toBe(2);
  });

  it("with a rate of 0 admits everything and bounds nothing", () => {
    const budget = createWorkBudget({ cap, requestsPerSecond: 0, queueSeconds: 1 });
    for (let i = 0; i < 100; i++) expect(budget.admit({ a: 1000 }).ok).toBe(true);
    expect(budget.pending()).toEqual({});
  });
});
