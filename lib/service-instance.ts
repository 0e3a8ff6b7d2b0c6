import "server-only";
import { getDb } from "@/db/client";
import { getConfig } from "./config";
import { createService } from "./service";
import type { Service } from "./service";

const holder = globalThis as unknown as { mirrorlagService?: Service };

/** The process-wide service on the real database and the real clock (kept across dev reloads). */
export function getService(): Service {
  holder.mirrorlagService ??= createService({ db: getDb(), config: getConfig(), clock: () => new Date() });
  return holder.mirrorlagService;
}
