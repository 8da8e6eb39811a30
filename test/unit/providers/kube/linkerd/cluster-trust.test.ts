import {describe, expect, it} from 'vitest'

import {ProviderError} from '../../../../../src/diagnostics/errors.js'
import {clusterTrust, trustAfterLosses} from '../../../../../src/providers/kube/linkerd/cluster-trust.js'
import type {ClusterTrustFacts, RotationRecord} from '../../../../../src/rotation/types.js'

const A = 'sha256:aaaaaaaaaaaaaaaa'
const B = 'sha256:bbbbbbbbbbbbbbbb'
const cp = {firstStartedAt: '2027-01-01T00:00:00Z', lastStartedAt: '2027-01-01T00:00:00Z'}
/** Both anchors served and the issuer on the new one for days: the next step drops the old anchor. */
const record: RotationRecord = {next: B, from: A, bundleAt: '2026-12-30T00:00:00Z', bundleServedAt: '2026-12-30T00:00:00Z', issuerAt: '2026-12-31T00:00:00Z', issuerServedAt: '2026-12-31T00:00:00Z'}
const readyToDrop: ClusterTrustFacts = {reachable: true, bundle: [A, B], controlPlane: cp, issuerAnchor: B, record, meshedPodStarts: ['2027-01-01T00:00:00Z']}
const installed: ClusterTrustFacts = {reachable: true, bundle: [A], controlPlane: cp, issuerAnchor: A, meshedPodStarts: ['2027-01-01T00:00:00Z']}
const read = (cluster: string, facts: ClusterTrustFacts) => ({cluster, unreachable: false, trust: {facts, pems: new Map<string, string>()}})

describe('a cluster lost between its trust lists and the rest of its read', () => {
  it('stops the plan where, without it, the rotation would hold a phase another cluster was rendered for', () => {
    const reads = [read('west', readyToDrop), read('east', readyToDrop)]
    const trust = clusterTrust(reads, A, B, [])
    expect(trust.plan.step).toMatchObject({state: 'rotating', phase: 'drop'})
    expect(trust.plan.clusters.west!.bundle).toEqual([B])
    expect(() => trustAfterLosses(trust, reads, new Set(['east']), A, B, [])).toThrow(ProviderError)
    expect(() => trustAfterLosses(trust, reads, new Set(['east']), A, B, [])).toThrow(/east stopped answering while it was read.*west was read for/)
  })

  it('counts it unreachable where that changes no other cluster, and changes nothing when none was lost', () => {
    const reads = [read('west', installed), read('east', installed)]
    const trust = clusterTrust(reads, A, undefined, [])
    expect(trustAfterLosses(trust, reads, new Set(), A, undefined, [])).toBe(trust)
    const after = trustAfterLosses(trust, reads, new Set(['east']), A, undefined, [])
    expect(after.plan.clusters.west).toEqual(trust.plan.clusters.west)
    expect(after.plan).toEqual(clusterTrust([reads[0]!, {cluster: 'east', unreachable: true}], A, undefined, []).plan)
  })
})
