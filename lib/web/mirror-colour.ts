/**
 * The shared per-position palette has six colours; further mirrors reuse them in order. A class, not a style=""
 * attribute: the page's Content-Security-Policy refuses inline style attributes.
 */
export function mirrorColour(position: number): string {
  return `mirror-colour-${position % 6}`;
}
