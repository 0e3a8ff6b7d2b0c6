import { join } from "node:path";
import { startSimWithHistory } from "@/e2e/demo/sim-with-history";
import { startApp } from "./app-server";
import { measurePageRender } from "./page-render";
import type { PageRenderResult } from "./page-render";

export type DemoPageResult = PageRenderResult & { module: string; versions: number };

/** Time to interactive of the demo's biggest module page (`npm run demo`'s data: 60 replayed hours), in chromium. */
export async function measureDemoPage(options: { dir: string; register: (stop: () => Promise<void>) => void }): Promise<DemoPageResult> {
  const { sim, env, modules } = await startSimWithHistory({ databasePath: join(options.dir, "demo.db"), historyHours: 60, stepSeconds: 120, env: { POLL_INTERVAL_SECONDS: "0" } });
  options.register(() => sim.close());
  const app = await startApp(env);
  options.register(() => app.stop());
  try {
    let biggest = { module: modules[0] ?? "", versions: -1 };
    for (const path of modules) {
      const timeline = (await (await fetch(`${app.baseUrl}/api/modules/${path}`)).json()) as { versions: unknown[]; pages?: { versions?: { total: number } } };
      const versions = timeline.pages?.versions?.total ?? timeline.versions.length;
      if (versions > biggest.versions) biggest = { module: path, versions };
    }
    return { ...biggest, ...(await measurePageRender(app.baseUrl, `/m/${biggest.module}`)) };
  } finally {
    await app.stop();
    await sim.close();
  }
}
