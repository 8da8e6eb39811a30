import type {X509Certificate} from 'node:crypto'

import {trustPlan, type TrustPlan} from '../../../rotation/trust-plan.js'
import type {ClusterTrustFacts} from '../../../rotation/types.js'
import {certificateFingerprint} from '../../certs/fingerprint.js'
import type {trustFacts} from './read-trust.js'

/**
 * Each cluster's trust from what all of them show, now. Clusters that do not exist yet trust what
 * a new cluster of the rotation's phase would; unreachable ones hold the rotation's later phases.
 */
export function clusterTrust(reads: readonly {cluster: string; unreachable: boolean; trust?: ReturnType<typeof trustFacts>}[], current: string, next: string | undefined, anchors: readonly X509Certificate[]): {plan: TrustPlan; pems: Map<string, string>} {
  const pems = new Map(anchors.map((a) => [certificateFingerprint(a), a.toString()]))
  for (const r of reads) for (const [fp, pem] of r.trust?.pems ?? []) if (!pems.has(fp)) pems.set(fp, pem)
  const clusters = Object.fromEntries(
    reads.map((r): [string, ClusterTrustFacts] => [r.cluster, r.trust?.facts ?? (r.unreachable ? {reachable: false, reason: 'unreachable'} : {reachable: true, bundle: [], meshedPodStarts: []})]),
  )
  return {plan: trustPlan({current, next, clusters, now: new Date()}), pems}
}

/** The PEM bundle of these anchors, in order; undefined if one of them was seen nowhere. */
export function bundlePem(bundle: readonly string[], pems: ReadonlyMap<string, string>): string | undefined {
  const found = bundle.map((fp) => pems.get(fp))
  return found.every((p) => p !== undefined) ? found.join('') : undefined
}
