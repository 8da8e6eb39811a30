import type {ServiceEndpoints} from './mesh-state.js'

/** The fields of a discovery.k8s.io/v1 EndpointSlice that decide what Linkerd routes to. */
export interface EndpointSliceLike {
  readonly metadata?: {readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>}
  readonly endpoints?: readonly {readonly addresses?: readonly string[]; readonly conditions?: {readonly ready?: boolean | null}}[]
}

const SERVICE_NAME = 'kubernetes.io/service-name'

/**
 * Ready endpoints per Service, counted as Linkerd's destination controller counts them: an
 * endpoint whose `ready` condition is false is skipped, an unset one is ready
 * (controller/api/destination/watcher/endpoints_watcher.go, edge-25.10.7, line 925). An address
 * in two slices of one Service (a slice being replaced) counts once.
 */
export function readyEndpoints(slices: readonly EndpointSliceLike[]): ServiceEndpoints[] {
  const byService = new Map<string, {namespace: string; name: string; addresses: Set<string>}>()
  for (const slice of slices) {
    const name = slice.metadata?.labels?.[SERVICE_NAME]
    const namespace = slice.metadata?.namespace
    if (!name || !namespace) continue
    const key = `${namespace}/${name}`
    const entry = byService.get(key) ?? {namespace, name, addresses: new Set<string>()}
    byService.set(key, entry)
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue
      for (const a of e.addresses ?? []) entry.addresses.add(a)
    }
  }
  return [...byService.values()].map((s) => ({namespace: s.namespace, name: s.name, ready: s.addresses.size})).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
}

/** The label selector for the slices of these Services (one LIST for all of them). */
export function sliceSelector(services: readonly string[]): string {
  return `${SERVICE_NAME} in (${[...new Set(services)].sort().join(',')})`
}

/**
 * Each cluster's share of a federated service's traffic, as fractions: Linkerd balances over all
 * members' endpoints alike, so a cluster's share is its part of the ready endpoints. Rounded to
 * four places; all zero when no member has any.
 */
export function sharesOf(endpoints: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(endpoints).reduce((a, b) => a + b, 0)
  return Object.fromEntries(Object.entries(endpoints).map(([c, n]) => [c, total === 0 ? 0 : Math.round((n / total) * 10_000) / 10_000]))
}
