import { readFileSync } from "node:fs";

export const E2E_PORT = 3107;
export const E2E_STATE_FILE = "test-results/e2e-state.json";

/** What global-setup started, for the specs (which run in other processes). */
export type E2eState = { baseUrl: string; mirrors: string[]; reference: string; modules: string[]; startedAt: string };

export function readE2eState(): E2eState {
  return JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as E2eState;
}
