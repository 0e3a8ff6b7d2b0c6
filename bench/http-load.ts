import { sleep } from "./stats";

export type Timed = { ms: number; status: number; bytes: number; encoding: string | null; body: string | null; error: string | null };

const REQUEST_TIMEOUT_MS = 60_000;

/** One request, timed until the whole body has arrived (what a client waits for). */
export async function timedFetch(url: string, init: RequestInit = {}, keepBody = false): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    return {
      ms: performance.now() - started,
      status: response.status,
      bytes: Number(response.headers.get("content-length") ?? Buffer.byteLength(text)),
      encoding: response.headers.get("content-encoding"),
      body: keepBody ? text : null,
      error: null,
    };
  } catch (error) {
    return { ms: performance.now() - started, status: 0, bytes: 0, encoding: null, body: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `count` requests one after another after `warmup` untimed ones; fails on the first non-200. */
export async function sequential(
  target: string | ((i: number) => string),
  options: { warmup: number; count: number },
): Promise<{ ms: number[]; bytes: number; encoding: string | null }> {
  const urlOf = typeof target === "string" ? () => target : target;
  for (let i = 0; i < options.warmup; i++) {
    const url = urlOf(i);
    const r = await timedFetch(url);
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.error ?? ""}`);
  }
  const ms: number[] = [];
  let last: Timed | undefined;
  for (let i = 0; i < options.count; i++) {
    const url = urlOf(options.warmup + i);
    last = await timedFetch(url);
    if (last.status !== 200) throw new Error(`GET ${url}: ${last.status} ${last.error ?? ""}`);
    ms.push(last.ms);
  }
  return { ms, bytes: last?.bytes ?? 0, encoding: last?.encoding ?? null };
}

/** Requests `url` every `everyMs` (one at a time, as a user reloading would) until stopped. */
export function sampleEvery(url: string, everyMs: number): { stop: () => Promise<{ ms: number[]; errors: number }> } {
  const ms: number[] = [];
  let errors = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const r = await timedFetch(url);
      if (r.status === 200) ms.push(r.ms);
      else errors++;
      await sleep(Math.max(0, everyMs - (performance.now() - started)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { ms, errors };
    },
  };
}

/** sampleEvery from a child process (bench/sampler-child.ts): the caller's event loop can be as busy as it likes. */
export async function sampleEveryApart(url: string, everyMs: number): Promise<{ stop: () => Promise<{ ms: number[]; errors: number }> }> {
  const { fork } = await import("node:child_process");
  const child = fork("bench/sampler-child.ts", [url, String(everyMs)], { execPath: process.execPath, execArgv: ["--conditions=react-server", "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`the sampler process exited (code ${code})`)));
  });
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        child.once("message", (message: { result: { ms: number[]; errors: number } }) => resolve(message.result));
        child.once("exit", (code) => reject(new Error(`the sampler process exited (code ${code}) before answering`)));
        child.send({ stop: true });
      }),
  };
}
