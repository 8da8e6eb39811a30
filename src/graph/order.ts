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
  const rank = new Map<string, number>()
  for (let i = 0; i < nodes.length; i++) rank.set(nodes[i]!, i)
  // Edges as one flat array with offsets: 180,000 edges of 47,000 resources as arrays were 0.3 s of garbage.
  const offsets = new Int32Array(nodes.length + 1)
  const targets: number[] = []
  let ordered = true
  for (let i = 0; i < nodes.length; i++) {
    offsets[i] = targets.length
    for (const d of dependsOn(nodes[i]!)) {
      const j = rank.get(d)
      if (j === undefined) continue
      targets.push(j)
      if (j >= i) ordered = false
    }
  }
  offsets[nodes.length] = targets.length
  if (ordered) return [...nodes]
  const pending = new Int32Array(nodes.length)
  const dependents: number[][] = nodes.map(() => [])
  for (let i = 0; i < nodes.length; i++) {
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      pending[i]!++
      dependents[targets[e]!]!.push(i)
    }
  }
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
