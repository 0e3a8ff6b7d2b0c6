import { readFileSync } from "node:fs";

/** The id under which this build serves a server action: what any client can POST to call it directly. */
export function actionId(file: string, name: string): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === name);
  if (!entry) throw new Error(`server action ${name} of ${file} not found in this build`);
  return entry[0];
}

/** The headers and body of a direct server-action call with one argument, as the browser's runtime sends it. */
export function actionRequest(id: string, input: unknown, headers: Record<string, string> = {}) {
  return { headers: { ...headers, "next-action": id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" }, data: JSON.stringify([input]) };
}
