import type { SimModule } from "@/e2e/mirror-sim";

/** The i-th version of a synthetic module: v1.<i/100>.<i%100>, so index order is semver order. */
export function benchVersion(i: number): string {
  return `v1.${Math.floor(i / 100)}.${i % 100}`;
}

/** A simulated module with `count` versions, all published a year or more before `before`, one an hour. */
export function benchModule(path: string, count: number, before: Date): SimModule {
  const start = before.getTime() - 400 * 24 * 3600 * 1000;
  return {
    path,
    versions: Array.from({ length: count }, (_, i) => ({
      version: benchVersion(i),
      time: new Date(start + i * 3600 * 1000),
      gomod: `module ${path}\n\ngo 1.22\n`,
    })),
  };
}
