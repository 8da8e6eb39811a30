import {validLinks} from '../graph/topology.js'
import type {FederationSpec} from '../spec/types.js'
import type {ClusterMesh} from './mesh-state.js'

/** What one cluster's proxies trust and what its issuer chains to, as fingerprints. */
export interface ClusterTrustReport {
  readonly cluster: string
  readonly anchors: readonly string[]
  /** The anchor its issuer chains to, among its own trust roots and the issuer's ca.crt; null where unknown. */
  readonly issuer_anchor: string | null
}

/** Two linked clusters: mTLS between them needs each one's trust roots to hold the anchor of the other's issuer. */
export interface TrustPair {
  readonly clusters: readonly [string, string]
  readonly shared: readonly string[]
  readonly ok: boolean
  readonly reason: string
}

export interface TrustReport {
  readonly clusters: readonly ClusterTrustReport[]
  readonly pairs: readonly TrustPair[]
}

const short = (fingerprint: string) => fingerprint.replace(/^sha256:/, '').slice(0, 12)

/**
 * The check `linkerd multicluster check` does not make (linkerd2#11668): the anchors each
 * cluster's trust roots actually hold, and for every linked pair, whether each side trusts the
 * anchor the other's issuer chains to. A cluster whose trust could not be read is left out.
 */
export function trustReport(spec: FederationSpec, mesh: Readonly<Record<string, ClusterMesh>>): TrustReport {
  const clusters = Object.keys(spec.spec.clusters).flatMap((c): ClusterTrustReport[] => {
    const t = mesh[c]?.trust
    return t ? [{cluster: c, anchors: [...t.anchors], issuer_anchor: t.issuerAnchor ?? null}] : []
  })
  const of = new Map(clusters.map((c) => [c.cluster, c]))
  const pairs = new Map<string, TrustPair>()
  for (const l of validLinks(spec)) {
    const [a, b] = [l.from, l.to].sort() as [string, string]
    const key = `${a} ${b}`
    const ta = of.get(a)
    const tb = of.get(b)
    if (pairs.has(key) || !ta || !tb || a === b) continue
    const shared = ta.anchors.filter((x) => tb.anchors.includes(x))
    const problems = [
      ...(tb.issuer_anchor && !ta.anchors.includes(tb.issuer_anchor) ? [`${a} does not trust ${short(tb.issuer_anchor)}, which ${b}'s issuer chains to`] : []),
      ...(ta.issuer_anchor && !tb.anchors.includes(ta.issuer_anchor) ? [`${b} does not trust ${short(ta.issuer_anchor)}, which ${a}'s issuer chains to`] : []),
      ...(shared.length === 0 ? [`their trust roots share no anchor`] : []),
    ]
    pairs.set(key, {
      clusters: [a, b],
      shared,
      ok: problems.length === 0,
      reason: problems.length === 0 ? `both trust ${shared.map(short).join(' and ')}, and each trusts the anchor the other's issuer chains to` : problems.join('; '),
    })
  }
  return {clusters, pairs: [...pairs.values()]}
}
