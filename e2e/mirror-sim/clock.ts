// A clock the simulator and the product share. Tests advance it explicitly instead of sleeping,
// so a scenario gives the same timeline on every run.

export type Duration =
  | number
  | { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number };

export type SimClock = {
  /** Current simulated time; a bound function, so `clock.now` can be passed as a `() => Date`. */
  now: () => Date;
  /** Move the clock forward (a negative duration moves it back). Returns the new time. */
  advance: (by: Duration) => Date;
  /** Jump to an absolute time. */
  set: (to: Date | string) => Date;
  /** "sim": only moves when told; "wall": follows real time plus an offset that advance/set change. */
  readonly mode: "sim" | "wall";
};

export function durationToMs(d: Duration): number {
  if (typeof d === "number") return d;
  return (
    (d.ms ?? 0) +
    (d.seconds ?? 0) * 1_000 +
    (d.minutes ?? 0) * 60_000 +
    (d.hours ?? 0) * 3_600_000 +
    (d.days ?? 0) * 86_400_000
  );
}

function toDate(d: Date | string): Date {
  const date = typeof d === "string" ? new Date(d) : new Date(d.getTime());
  if (Number.isNaN(date.getTime())) throw new Error(`invalid date: ${String(d)}`);
  return date;
}

export function createSimClock(start: Date | string): SimClock {
  let t = toDate(start).getTime();
  return {
    mode: "sim",
    now: () => new Date(t),
    advance: (by) => {
      t += durationToMs(by);
      return new Date(t);
    },
    set: (to) => {
      t = toDate(to).getTime();
      return new Date(t);
    },
  };
}

/** Real time; advance/set shift it by an offset (handy to replay history fast, then follow real time). */
export function wallClock(): SimClock {
  let offset = 0;
  return {
    mode: "wall",
    now: () => new Date(Date.now() + offset),
    advance: (by) => {
      offset += durationToMs(by);
      return new Date(Date.now() + offset);
    },
    set: (to) => {
      offset = toDate(to).getTime() - Date.now();
      return new Date(Date.now() + offset);
    },
  };
}
