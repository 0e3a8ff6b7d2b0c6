import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { median, round } from "./stats";

export type PageRenderResult = {
  path: string;
  /** The HTML document as served (server-rendered markup plus the inline React Server Components payload). */
  documentBytes: number;
  documentGzipBytes: number;
  /** Navigation start to the moment React has hydrated the page (its root element carries React's fiber). */
  hydratedMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  /** Sum over main-thread tasks longer than 50 ms of their excess over 50 ms, until hydrated (Lighthouse's TBT). */
  totalBlockingMs: number;
  runs: number;
};

const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });`;

// React attaches its fiber to every element it hydrates: the page's first element having one means hydrated.
const WAIT_FOR_HYDRATION = `new Promise((resolve) => {
  const poll = () => {
    const root = document.querySelector("main");
    const first = root ? root.firstElementChild : null;
    if (first && Object.keys(first).some((k) => k.startsWith("__reactFiber"))) resolve(performance.now());
    else requestAnimationFrame(poll);
  };
  poll();
})`;

const TIMING = `(until) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const tbt = window.__longTasks.filter((t) => t.start <= until).reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);
  return { dcl: nav ? nav.domContentLoadedEventEnd : NaN, load: nav ? nav.loadEventEnd : NaN, tbt };
}`;

const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));

/**
 * What a browser pays for a page: the document's size, and time to interactive measured in Debian's chromium
 * through Playwright (median of `runs` fresh contexts, after one warm-up so the server's JIT is warm).
 */
export async function measurePageRender(baseUrl: string, path: string, runs = 5): Promise<PageRenderResult> {
  const served = await fetch(`${baseUrl}${path}`, { headers: { "accept-encoding": "identity" } });
  const html = Buffer.from(await served.arrayBuffer());
  if (!served.ok) throw new Error(`GET ${path}: ${served.status}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const samples: { hydrated: number; dcl: number; load: number; tbt: number }[] = [];
  try {
    for (let i = -1; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Plain text, not functions: tsx rewrites functions with helpers that do not exist in the page.
      await page.addInitScript(LONG_TASK_OBSERVER);
      await page.goto(`${baseUrl}${path}`, { waitUntil: "commit" });
      const hydrated = (await page.evaluate(WAIT_FOR_HYDRATION)) as number;
      await page.waitForLoadState("load");
      const timing = (await page.evaluate(`(${TIMING})(${hydrated})`)) as { dcl: number; load: number; tbt: number };
      if (i >= 0) samples.push({ hydrated, ...timing });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return {
    path,
    documentBytes: html.byteLength,
    documentGzipBytes: gzipSync(html).byteLength,
    hydratedMs: round(median(samples.map((s) => s.hydrated)), 0),
    domContentLoadedMs: round(median(samples.map((s) => s.dcl)), 0),
    loadMs: round(median(samples.map((s) => s.load)), 0),
    totalBlockingMs: round(median(samples.map((s) => s.tbt)), 0),
    runs,
  };
}
