import type {X509Certificate} from 'node:crypto'

import {trustPlan, type TrustPlan} from '../../../rotation/trust-plan.js'
import type {ClusterTrustFacts} from '../../../rotation/types.js'
import {ProviderError} from '../../../diagnostics/errors.js'
import {stableStringify} from '../../../util/stable-json.js'
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

/**
 * The trust once the clusters in `lost` (their trust lists answered, the rest of their read
 * failed) count as unreachable, as they would had they failed first: unreachable clusters hold
 * the rotation's later phases. Where that changes the trust of a cluster read in full, its
 * control plane was rendered with trust it will not get: the plan stops and asks to be made again.
 */
export function trustAfterLosses(
  trust: {plan: TrustPlan; pems: Map<string, string>},
  reads: readonly {cluster: string; unreachable: boolean; trust?: ReturnType<typeof trustFacts>}[],
  lost: ReadonlySet<string>,
  current: string,
  next: string | undefined,
  anchors: readonly X509Certificate[],
): {plan: TrustPlan; pems: Map<string, string>} {
  if (lost.size === 0) return trust
  const held = clusterTrust(
    reads.map((r) => (lost.has(r.cluster) ? {cluster: r.cluster, unreachable: true} : r)),
    current,
    next,
    anchors,
  )
  const changed = reads.filter((r) => !r.unreachable && !lost.has(r.cluster) && stableStringify(held.plan.clusters[r.cluster]) !== stableStringify(trust.plan.clusters[r.cluster]))
  if (changed.length > 0) {
    const names = [...lost].sort().join(', ')
    throw new ProviderError(`${names} stopped answering while ${lost.size === 1 ? 'it was' : 'they were'} read, and without ${lost.size === 1 ? 'it' : 'them'} the trust-anchor rotation holds a phase that ${changed.map((r) => r.cluster).sort().join(', ')} ${changed.length === 1 ? 'was' : 'were'} read for`, {
      hint: 'plan again; if they stay unreachable, the rotation waits for them',
    })
  }
  return held
}

/** The PEM bundle of these anchors, in order; undefined if one of them was seen nowhere. */
export function bundlePem(bundle: readonly string[], pems: ReadonlyMap<string, string>): string | undefined {
  const found = bundle.map((fp) => pems.get(fp))
  return found.every((p) => p !== undefined) ? found.join('') : undefined
}
