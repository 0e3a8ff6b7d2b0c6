import type { Instrumentation } from "next";

/** Runs once when the server starts: fail fast on bad configuration, migrate, then start background work. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("@/lib/server");
  startServer();
}

/** Next caught an error in a route handler, a page render or a server action: an error line, and the operator's ring. */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { reportRequestError } = await import("@/lib/server");
  reportRequestError(error, request, context);
};
