// Mirrors whose words are HTML and script (issue 9/11, headers and hygiene): every text a page shows from a mirror
// or a go.mod carries markup that would run if it were ever rendered as HTML rather than text. e2e/hostile-text.spec.ts
// visits each page that shows such text; each payload calls alert(), so a dialog would say it ran.
import type { Scenario } from "../types";

export const HOSTILE_START = new Date("2026-03-01T10:00:00Z");
export const HOSTILE_MODULE = "github.com/hostile-text/mod";
export const HOSTILE_REFERENCE = "ref";
/** ref: honest, serves the hostile go.mod; gone: 410 with a hostile body; broken: 404 and 502 with hostile bodies. */
export const HOSTILE_MIRRORS = ["ref", "gone", "broken"] as const;

/** One of each way into a page: an element with a handler, an attribute break-out, a script, a javascript: link. */
export const PAYLOADS = {
  img: `<img src=x onerror=alert("img")>`,
  svg: `"><svg onload=alert("svg")>`,
  script: `<script>alert("script")</script>`,
  link: `<a href="javascript:alert('link')">docs</a> [docs](javascript:alert('md'))`,
} as const;

const ALL = Object.values(PAYLOADS).join(" ");

/** The texts each place carries; the spec asserts each appears literally. */
export const HOSTILE_TEXTS = {
  deprecated: `use v2 ${PAYLOADS.img} ${PAYLOADS.link}`,
  rationale: `broken ${PAYLOADS.svg} ${PAYLOADS.script}`,
  /** gone's 410 for the list and @latest (text/plain, several lines, as the go command shows them). */
  gone: `not found: ${PAYLOADS.img}\n${PAYLOADS.svg}\n${PAYLOADS.script}\n${PAYLOADS.link}`,
  /** broken's 502 for the list and @latest: the client keeps its first line. */
  broken: `mirror down ${ALL}`,
  /** broken's 404 for v1.1.0's .info and .mod. */
  brokenVersion: `not found: ${PAYLOADS.script} ${PAYLOADS.img}`,
} as const;

const GOMOD = `// Deprecated: ${HOSTILE_TEXTS.deprecated}
module ${HOSTILE_MODULE}

go 1.21

retract v1.0.0 // ${HOSTILE_TEXTS.rationale}
`;

export function hostileScenario(): Scenario {
  const text = (status: number, body: string) => ({ type: "status" as const, status, body, contentType: "text/plain; charset=utf-8" });
  return {
    start: HOSTILE_START,
    reference: HOSTILE_REFERENCE,
    modules: [
      {
        path: HOSTILE_MODULE,
        versions: [
          { version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${HOSTILE_MODULE}\n\ngo 1.21\n` },
          { version: "v1.1.0", time: "2026-02-10T00:00:00Z", gomod: GOMOD },
        ],
      },
    ],
    mirrors: [
      { name: "ref", style: "proxy.golang.org" },
      { name: "gone", style: "proxy.golang.org", notFoundStatus: 410, faults: [{ module: HOSTILE_MODULE, kinds: ["list", "latest"], effect: text(410, HOSTILE_TEXTS.gone) }] },
      {
        name: "broken",
        style: "goproxy",
        faults: [
          { module: HOSTILE_MODULE, kinds: ["list", "latest"], effect: text(502, HOSTILE_TEXTS.broken) },
          { module: HOSTILE_MODULE, version: "v1.1.0", kinds: ["info", "mod"], effect: text(404, HOSTILE_TEXTS.brokenVersion) },
        ],
      },
    ],
  };
}
