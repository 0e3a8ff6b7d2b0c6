import type { Config } from "./config";
import type { UserWork, UserWorkRefusal } from "./service";

type Refusal = UserWorkRefusal;

// The existing 429 wordings, kept: clients and tests read them.
const LIMITED: Record<UserWork, string> = { check: "checks", probe: "checks and probes", resolution: "checks, probes and resolutions" };

/** Why user work was refused, for a server action (the UI words it from the code) and the API (which adds the wait). */
export function userWorkRefusalMessage(refusal: Refusal, kind: UserWork, config: Pick<Config, "rateLimitPerMinute" | "userMirrorRps" | "userQueueSeconds">): string {
  if (refusal.code === "rate_limited") return `too many ${LIMITED[kind]}: at most ${config.rateLimitPerMinute} a minute`;
  return `busy: the mirrors already have ${config.userQueueSeconds} s of requests from this instance queued (at most ${config.userMirrorRps} a second each)`;
}

/** The API's answer: 429 past the client's own limit, 503 when the instance's outbound budget is full; both say when to retry. */
export function userWorkRefusalResponse(refusal: Refusal, kind: UserWork, config: Pick<Config, "rateLimitPerMinute" | "userMirrorRps" | "userQueueSeconds">) {
  return {
    status: refusal.code === "busy" ? 503 : 429,
    body: { error: `${userWorkRefusalMessage(refusal, kind, config)}; retry in ${refusal.retryAfterSeconds} s` },
    headers: { "Retry-After": String(refusal.retryAfterSeconds) },
  };
}
