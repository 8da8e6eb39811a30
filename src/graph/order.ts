import {Heap} from 'heap-js'

/**
 * Kahn's algorithm with a deterministic tie-break (the input order), so the same graph always
 * yields the same order, byte for byte. Throws on a cycle: a cycle is a bug in derivation.
 *
 * Derivation emits every resource after what it depends on, and with this tie-break Kahn's
 * algorithm then returns the input order unchanged; that case is recognised in one pass over the
 * edges (at 11,000 resources the heap cost ~70 ms of a plan).
 */
export function topologicalOrder(nodes: readonly string[], dependsOn: (node: string) => readonly string[]): string[] {
  const rank = new Map(nodes.map((n, i) => [n, i]))
  const edges = nodes.map((n) => dependsOn(n).flatMap((d) => rank.get(d) ?? []))
  if (edges.every((deps, i) => deps.every((j) => j < i))) return [...nodes]
  const pending = new Int32Array(nodes.length)
  const dependents: number[][] = nodes.map(() => [])
  edges.forEach((deps, i) => {
    for (const j of deps) {
      pending[i]!++
      dependents[j]!.push(i)
    }
  })
  const ready = new Heap<number>((a, b) => a - b)
  pending.forEach((p, i) => p === 0 && ready.push(i))
  const out: string[] = []
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    out.push(nodes[i]!)
    for (const m of dependents[i]!) if (--pending[m]! === 0) ready.push(m)
  }
  if (out.length !== nodes.length) {
    const done = new Set(out)
    throw new Error(`dependency cycle among: ${nodes.filter((n) => !done.has(n)).join(', ')}`)
  }
  return out
}
