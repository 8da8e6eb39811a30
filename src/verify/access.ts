import {admitted} from '../graph/authorization.js'
import type {DerivedLink} from '../graph/topology.js'
import type {FederationSpec} from '../spec/types.js'
import type {ClusterMesh} from './mesh-state.js'

/** One port of a service in one cluster: the identities its live policy admits against the spec's. */
export interface AccessCell {
  readonly service: string
  readonly namespace: string
  readonly cluster: string
  readonly port: number
  readonly ok: boolean
  /** What the spec's allow list admits there. */
  readonly expected: readonly string[]
  /** What the live Server and its bound MeshTLSAuthentication admit; null: no Server, every caller. */
  readonly admitted: readonly string[] | null
  readonly reason: string
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The access matrix: for every service with an allow list and every cluster where it runs, the
 * identities the live policies admit per port, compared with the spec; and any policy mcfed wrote
 * that the spec no longer asks for.
 */
export function accessCells(spec: FederationSpec, mesh: Readonly<Record<string, ClusterMesh>>, links: readonly DerivedLink[]): AccessCell[] {
  const out: AccessCell[] = []
  for (const [service, s] of Object.entries(spec.spec.services)) {
    if (!s.allow || !s.ports) continue
    for (const cluster of s.clusters.filter((c) => mesh[c])) {
      const live = mesh[cluster]!.policies?.find((p) => p.namespace === s.namespace && p.service === service)
      for (const want of admitted(spec, service, cluster, links)) {
        const port = live?.ports.find((p) => p.port === want.port)
        const base = {service, namespace: s.namespace, cluster, port: want.port, expected: want.identities}
        if (!port) out.push({...base, ok: false, admitted: null, reason: `no Server on port ${want.port}: every caller is admitted, the spec admits ${want.callers.join(', ') || 'nobody'}`})
        else if (!same(port.identities, want.identities)) out.push({...base, ok: false, admitted: port.identities, reason: `admits ${port.identities.join(', ') || 'nobody'}; the spec admits ${want.identities.join(', ') || 'nobody'}`})
        else out.push({...base, ok: true, admitted: port.identities, reason: `admits ${want.callers.join(', ') || 'nobody'}`})
      }
    }
  }
  for (const [cluster, m] of Object.entries(mesh)) {
    for (const p of m.policies ?? []) {
      const s = spec.spec.services[p.service]
      if (s?.allow && s.namespace === p.namespace && s.clusters.includes(cluster)) continue
      for (const port of p.ports) {
        out.push({service: p.service, namespace: p.namespace, cluster, port: port.port, ok: false, expected: [], admitted: port.identities, reason: 'a policy mcfed wrote that the spec no longer asks for: apply removes it'})
      }
    }
  }
  return out
}
