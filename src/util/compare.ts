/** Strings in code-point order: the same on every machine and locale, as files and keys of a rendered tree must be. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
