// The /resolve page's scenario: three mirrors named like the real ones, each answer late enough (RESOLVE_UI_LATENCY_MS)
// that a resolution's progress is seen moving, and small modules staged for each row the page must get right:
// served everywhere, not yet on one mirror, unknown everywhere, different go.mod bytes on one mirror. Every test of
// e2e/resolve.spec.ts uses its own modules of RESOLVE_UI_MODULES.
import type { MirrorConfig, Scenario, SimModule } from "../types";

export const RESOLVE_UI_START = new Date("2026-10-01T00:00:00Z");
export const RESOLVE_UI_REFERENCE = "proxy.golang.org";
export const RESOLVE_UI_MIRRORS = ["proxy.golang.org", "goproxy.cn", "proxy.golang.com.cn"] as const;
/** Added to every mirror's answers (and the checksum database's): a probe then takes a visible fraction of a second. */
export const RESOLVE_UI_LATENCY_MS = 200;

const OWNER = "github.com/resolve-ui";

/** Served by every mirror, with the origin's bytes. */
const SERVED = ["alpha", "bravo", "charlie", "delta", "echo", "hotel", "india", "kilo", "lima"].map((name) => `${OWNER}/${name}`);
/** Tagged minutes before the start: proxy.golang.org and proxy.golang.com.cn have them, goproxy.cn not for 30 minutes. */
const LATE = [`${OWNER}/late`, `${OWNER}/late-two`, `${OWNER}/late-three`, `${OWNER}/late-four`];
/** proxy.golang.com.cn serves a go.mod with other bytes than the origin's (and the checksum database's). */
const REBUILT = `${OWNER}/rebuilt`;
/** No such repository: every mirror answers the go command's "terminal prompts disabled" 404. */
const GHOSTS = ["github.com/resolve-ghost/secret", "github.com/resolve-ghost/hidden", "github.com/resolve-ghost/unseen"];

export const RESOLVE_UI_MODULES = { served: SERVED, late: LATE, rebuilt: REBUILT, ghosts: GHOSTS } as const;

const gomod = (path: string) => `module ${path}\n\ngo 1.21\n`;

export function resolveUiModules(start: Date = RESOLVE_UI_START): SimModule[] {
  const published = new Date(start.getTime() - 3 * 60_000);
  const committed = new Date(start.getTime() - 13 * 60_000);
  return [
    ...SERVED.map((path) => ({
      path,
      versions: [
        { version: "v1.0.0", time: "2025-03-01T00:00:00Z", gomod: gomod(path) },
        { version: "v1.2.0", time: "2025-06-01T00:00:00Z", gomod: gomod(path) },
      ],
    })),
    ...LATE.map((path) => ({
      path,
      versions: [
        { version: "v1.0.0", time: "2025-03-01T00:00:00Z", gomod: gomod(path) },
        { version: "v1.1.0", time: committed, publishedAt: published, gomod: gomod(path) },
      ],
    })),
    { path: REBUILT, versions: [{ version: "v1.0.0", time: "2025-04-01T00:00:00Z", gomod: gomod(REBUILT) }] },
    ...GHOSTS.map((path) => ({ path, origin: "missing" as const, versions: [] })),
  ];
}

export function resolveUiMirrors(): MirrorConfig[] {
  const lateOnGoproxyCn = Object.fromEntries(LATE.map((path) => [`${path}@v1.1.0`, 1800]));
  return [
    { name: "proxy.golang.org", style: "proxy.golang.org", lagSeconds: 30, fetchOnDemand: true, honourDisableModuleFetch: true, latencyMs: RESOLVE_UI_LATENCY_MS },
    { name: "goproxy.cn", style: "goproxy", lagSeconds: 60, versionLagSeconds: lateOnGoproxyCn, fetchOnDemand: false, latencyMs: RESOLVE_UI_LATENCY_MS },
    {
      name: "proxy.golang.com.cn",
      style: "goproxy",
      lagSeconds: 60,
      fetchOnDemand: false,
      latencyMs: RESOLVE_UI_LATENCY_MS,
      faults: [{ id: "rebuilt-mod-different", module: REBUILT, version: "v1.0.0", kinds: ["mod"], effect: { type: "differentBytes", marker: "rebuilt by proxy.golang.com.cn" } }],
    },
  ];
}

export function resolveUiScenario(start: Date = RESOLVE_UI_START): Scenario {
  return { start, reference: RESOLVE_UI_REFERENCE, sumdb: { latencyMs: RESOLVE_UI_LATENCY_MS }, modules: resolveUiModules(start), mirrors: resolveUiMirrors() };
}
