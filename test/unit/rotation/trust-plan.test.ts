import {describe, expect, it} from 'vitest'

import {trustPlan} from '../../../src/rotation/trust-plan.js'
import type {ClusterTrustFacts, RotationRecord} from '../../../src/rotation/types.js'
import {desiredRotation} from '../../../src/graph/desired-rotation.js'

const A = 'sha256:aaaaaaaaaaaaaaaa'
const B = 'sha256:bbbbbbbbbbbbbbbb'
const now = new Date('2027-01-02T00:00:00Z')
const cp = {firstStartedAt: '2027-01-01T00:00:00Z', lastStartedAt: '2027-01-01T00:00:00Z'}
const installed = (more: Partial<Extract<ClusterTrustFacts, {reachable: true}>> = {}): ClusterTrustFacts => ({reachable: true, bundle: [A], controlPlane: cp, issuerAnchor: A, meshedPodStarts: ['2027-01-01T00:00:00Z'], ...more})

describe('each cluster\'s trust under the rotation\'s step', () => {
  it('without next: the spec\'s anchor alone, no rotation resource', () => {
    const plan = trustPlan({current: A, next: undefined, clusters: {west: installed()}, now})
    expect(plan.step.state).toBe('none')
    expect(plan.clusters.west).toEqual({bundle: [A], issuerAnchor: A})
  })

  it('phase 1: both anchors, old first; the issuer stays on the old one; the record is stamped after the write and the control plane restarted', () => {
    const plan = trustPlan({current: A, next: B, clusters: {west: installed(), east: installed()}, now})
    expect(plan.step).toMatchObject({state: 'rotating', phase: 'bundle', from: A, to: B})
    expect(plan.clusters.west).toMatchObject({bundle: [A, B], issuerAnchor: A, rotation: {phase: 'bundle', stampNow: 'bundleAt', record: {next: B, from: A}, destructive: false}})
    expect(plan.clusters.west!.rotation!.actions.map((a) => a.kind)).toEqual(['restart-control-plane'])
  })

  it('a cluster added mid-rotation is installed trusting both anchors, its issuer from the phase\'s anchor', () => {
    const record: RotationRecord = {next: B, from: A, bundleAt: '2027-01-01T00:00:00Z', bundleServedAt: '2027-01-01T00:00:00Z', issuerAt: '2027-01-01T00:00:00Z', issuerServedAt: '2027-01-01T00:00:00Z'}
    const plan = trustPlan({current: A, next: B, clusters: {west: installed({bundle: [A, B], issuerAnchor: B, record, meshedPodStarts: []}), fresh: {reachable: true, bundle: [], meshedPodStarts: []}}, now})
    // The fleet goes back to the bundle phase for it: nothing it runs may be signed by B before it trusts B.
    expect(plan.step).toMatchObject({state: 'rotating', phase: 'bundle'})
    expect(plan.clusters.fresh).toMatchObject({bundle: [A, B], issuerAnchor: A})
    expect(plan.clusters.west).toMatchObject({bundle: [A, B], issuerAnchor: B})
  })

  it('the drop is destructive and leaves the next anchor alone', () => {
    const record: RotationRecord = {next: B, from: A, bundleAt: '2026-12-30T00:00:00Z', bundleServedAt: '2026-12-30T00:00:00Z', issuerAt: '2026-12-31T00:00:00Z', issuerServedAt: '2026-12-31T00:00:00Z'}
    const plan = trustPlan({current: A, next: B, clusters: {west: installed({bundle: [A, B], issuerAnchor: B, record, meshedPodStarts: ['2027-01-01T00:00:00Z']})}, now})
    expect(plan.step).toMatchObject({state: 'rotating', phase: 'drop', destructive: true})
    expect(plan.clusters.west).toMatchObject({bundle: [B], issuerAnchor: B, rotation: {destructive: true, stampNow: 'droppedAt'}})
    const resource = desiredRotation('west', plan.clusters.west!.rotation!, 'linkerd_trust_anchor.west')
    expect(resource.guarded).toBe(true)
    expect(resource.unknown).toEqual(['dropped_at'])
    expect(resource.attributes).toMatchObject({phase: 'drop', restart_control_plane: true, next: B, from: A})
  })

  it('complete while the spec still names next: every cluster keeps the next anchor alone, and its issuer from it', () => {
    // Found by the sandbox test: the apply that forgets the records re-issued every issuer from the old anchor.
    const plan = trustPlan({current: A, next: B, clusters: {west: installed({bundle: [B], issuerAnchor: B, meshedPodStarts: []})}, now})
    expect(plan.step).toMatchObject({state: 'complete', anchor: B})
    expect(plan.clusters.west).toEqual({bundle: [B], issuerAnchor: B})
  })

  it('a refused step changes nothing: every cluster keeps what it holds', () => {
    const plan = trustPlan({current: A, next: B, clusters: {west: installed({issuerAnchor: 'sha256:cccc'})}, now})
    expect(plan.step.state).toBe('refused')
    expect(plan.clusters.west).toMatchObject({bundle: [A], issuerAnchor: 'sha256:cccc'})
  })

  it('abandoned before any issuer moved: back to the spec\'s anchor, the record forgotten', () => {
    const plan = trustPlan({current: A, next: undefined, clusters: {west: installed({bundle: [A, B], record: {next: B, from: A, bundleAt: '2027-01-01T00:00:00Z'}})}, now})
    expect(plan.step.state).toBe('abandoned')
    expect(plan.clusters.west).toEqual({bundle: [A], issuerAnchor: A})
  })
})
