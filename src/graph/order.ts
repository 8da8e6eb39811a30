import {Heap} from 'heap-js'

/**
 * Kahn's algorithm with a deterministic tie-break (the input order), so the same graph always
 * yields the same order, byte for byte. Throws on a cycle: a cycle is a bug in derivation.
 */
export function topologicalOrder(nodes: readonly string[], dependsOn: (node: string) => readonly string[]): string[] {
  return dependencyOrder(nodes, (n) => n, dependsOn)
}

/**
 * The same order over items named by `keyOf`. Dependencies on names outside `items` are no edges.
 *
 * Derivation emits every resource after what it depends on, and with this tie-break Kahn's
 * algorithm then returns the input order unchanged; that case is recognised in one pass over the
 * edges (at 11,000 resources the heap cost ~70 ms of a plan) and returns a copy of the input.
 */
export function dependencyOrder<T>(items: readonly T[], keyOf: (item: T) => string, dependsOn: (item: T) => readonly string[]): T[] {
  const rank = new Map<string, number>()
  for (let i = 0; i < items.length; i++) rank.set(keyOf(items[i]!), i)
  // Edges as one flat array with offsets: 180,000 edges of 47,000 resources as arrays were 0.3 s of garbage.
  const offsets = new Int32Array(items.length + 1)
  const targets: number[] = []
  let ordered = true
  for (let i = 0; i < items.length; i++) {
    offsets[i] = targets.length
    for (const d of dependsOn(items[i]!)) {
      const j = rank.get(d)
      if (j === undefined) continue
      targets.push(j)
      if (j >= i) ordered = false
    }
  }
  offsets[items.length] = targets.length
  if (ordered) return [...items]
  const pending = new Int32Array(items.length)
  const dependents: number[][] = items.map(() => [])
  for (let i = 0; i < items.length; i++) {
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      pending[i]!++
      dependents[targets[e]!]!.push(i)
    }
  }
  const ready = new Heap<number>((a, b) => a - b)
  pending.forEach((p, i) => p === 0 && ready.push(i))
  const out: T[] = []
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    out.push(items[i]!)
    for (const m of dependents[i]!) if (--pending[m]! === 0) ready.push(m)
  }
  if (out.length !== items.length) {
    const done = new Set(out)
    throw new Error(`dependency cycle among: ${items.filter((n) => !done.has(n)).map(keyOf).join(', ')}`)
  }
  return out
}
