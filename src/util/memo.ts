/**
 * `fn` remembered by its string argument, for pure functions a plan calls with the same text many
 * times (a cluster's trust bundle is read by four kinds; a link's kubeconfig by three). Bounded:
 * past `limit` distinct arguments it starts over rather than grow with the estate.
 */
export function memoByText<T>(fn: (text: string) => T, limit = 4096): (text: string) => T {
  const known = new Map<string, T>()
  return (text) => {
    if (known.has(text)) return known.get(text)!
    const value = fn(text)
    if (known.size >= limit) known.clear()
    known.set(text, value)
    return value
  }
}
