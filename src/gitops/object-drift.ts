import type {KubeObject} from '../linkerd/install/manifests.js'

/**
 * Where a live object departs from what the tree says: the first path (`spec.selector.matchLabels`)
 * whose value the tree sets and the live object does not hold. The tree's object is a subset of
 * the live one (the API server and controllers add fields): maps compare key by key, lists and
 * values exactly (a list the tree sets is the tree's whole list). Undefined when it holds.
 */
export function firstDeparture(want: unknown, live: unknown, path: string[] = []): {path: string; want: unknown; live: unknown} | undefined {
  if (isMap(want)) {
    if (!isMap(live)) return {path: path.join('.'), want, live}
    for (const [k, v] of Object.entries(want)) {
      const found = firstDeparture(v, live[k], [...path, k])
      if (found) return found
    }
    return undefined
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(live) || live.length !== want.length) return {path: path.join('.'), want, live}
    for (let i = 0; i < want.length; i++) {
      const found = firstDeparture(want[i], live[i], [...path, String(i)])
      if (found) return found
    }
    return undefined
  }
  return want === live ? undefined : {path: path.join('.'), want, live}
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export type ObjectDrift = {readonly object: string; readonly problem: 'missing'} | {readonly object: string; readonly problem: 'differs'; readonly path: string; readonly want: unknown; readonly live: unknown}

/** What is left of a tree object to compare: `apiVersion` and `kind` name it, they are not state. */
export function comparable(o: KubeObject): Record<string, unknown> {
  const {apiVersion: _a, kind: _k, ...rest} = o
  return rest
}

export interface ClusterTreeDrift {
  readonly cluster: string
  /** Objects of the cluster's tree compared. */
  readonly objects: number
  readonly drift: ObjectDrift[]
  /** Why the cluster could not be read, when it could not. */
  readonly unreachable?: string
}
