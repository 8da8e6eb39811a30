import {Heap} from 'heap-js'

/**
 * Kahn's algorithm with a deterministic tie-break (the input order), so the same graph always
 * yields the same order, byte for byte. Throws on a cycle: a cycle is a bug in derivation.
 */
export function topologicalOrder(nodes: readonly string[], dependsOn: (node: string) => readonly string[]): string[] {
  const rank = new Map(nodes.map((n, i) => [n, i]))
  const pending = new Int32Array(nodes.length)
  const dependents: number[][] = nodes.map(() => [])
  nodes.forEach((n, i) => {
    for (const d of dependsOn(n)) {
      const j = rank.get(d)
      if (j === undefined) continue
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
