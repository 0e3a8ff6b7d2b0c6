"use client";

import { useSyncExternalStore } from "react";

// Coarse enough for a stable snapshot between renders, fine enough that "just now" stays true.
const STEP = 10_000;
const noop = () => () => {};

function subscribeMinutes(onChange: () => void): () => void {
  const timer = setInterval(onChange, STEP);
  return () => clearInterval(timer);
}

/**
 * The browser's time, rounded up to 10 s, or null while rendering on the server and hydrating: server and
 * browser clocks differ, so text derived from "now" must not be part of the hydrated markup.
 */
export function useClientMinute(): number | null {
  return useSyncExternalStore(
    subscribeMinutes,
    () => Math.ceil(Date.now() / STEP) * STEP,
    () => null,
  );
}

/** True once rendering in the browser (for widgets that measure the DOM, like charts). */
export function useIsClient(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}
