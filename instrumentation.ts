/** Runs once when the server starts: fail fast on bad configuration, migrate, then start background work. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("@/lib/server");
  startServer();
}
