// A separate process that requests one URL every `everyMs` (one at a time, as a user reloading would) until told
// to stop, then sends back what it measured. Apart from the load generator, so the time a response waits in the
// generator's own busy event loop is not counted as the server's.
import { sampleEvery } from "./http-load";

const [url, everyMs] = [process.argv[2] ?? "", Number(process.argv[3] ?? "50")];
const sampler = sampleEvery(url, everyMs);
process.send?.({ started: true });
process.on("message", async (message: { stop?: boolean }) => {
  if (!message.stop) return;
  const result = await sampler.stop();
  process.send?.({ result }, () => process.exit(0));
});
