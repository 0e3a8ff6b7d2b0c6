import type { ConsoleMessage, Page } from "@playwright/test";

/** The prefix of what the page's securitypolicyviolation listener logs, so a report says what it is. */
export const CSP_VIOLATION = "Content-Security-Policy violation:";

/**
 * Collects console errors, uncaught page errors and Content-Security-Policy violations: a page that logs errors
 * or breaks its own policy is not done. Chromium logs each violation as a "Refused to …" console error; the
 * listener added to every document also names the directive and what it blocked.
 */
export function watchConsole(page: Page): string[] {
  const errors = watchCsp(page, (message) => message.type() === "error");
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/**
 * Only the Content-Security-Policy violations (and what `alsoKeep` keeps), for tests of pages that answer 4xx on
 * purpose: Chromium logs those statuses as console errors too.
 */
export function watchCsp(page: Page, alsoKeep: (message: ConsoleMessage) => boolean = () => false): string[] {
  const errors: string[] = [];
  void page.addInitScript((prefix: string) => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`${prefix} ${e.effectiveDirective} refused ${e.blockedURI || "(inline)"} at ${e.sourceFile || e.documentURI}:${e.lineNumber} ${e.sample}`);
    });
  }, CSP_VIOLATION);
  page.on("console", (message) => {
    const text = message.text();
    if (text.startsWith("Refused to ") || text.startsWith(CSP_VIOLATION) || alsoKeep(message)) errors.push(text);
  });
  return errors;
}
