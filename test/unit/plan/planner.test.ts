import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import type {ObservedResource} from '../../../src/graph/resource.js'
import {plan, type PlanInput} from '../../../src/plan/planner.js'
import {renderJson} from '../../../src/render/json.js'
import {converged, withAttributes} from '../../support/observed.js'
import {loadValidSpec, THREE_REGION} from '../../support/specs.js'

const spec = loadValidSpec(THREE_REGION)
const desired = desiredGraph(spec, {fingerprint: 'sha256:aaaa', notAfter: '2035-01-01T00:00:00.000Z'})
const base: PlanInput = {federation: 'mc-demo', project: 'my-project', mcfedVersion: 'test', desired}
const live = converged(desired)
/** A seeded Fisher–Yates shuffle: the same seed, the same order, so a failure reproduces. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
const change = (p: ReturnType<typeof plan>, address: string) => p.resource_changes.find((c) => c.address === address)!

describe('plan', () => {
  test('offline: everything is created, in dependency order, with unknowns marked', () => {
    const p = plan(base)
    expect(p.mode).toBe('offline')
    expect(p.summary).toEqual({add: desired.length, change: 0, replace: 0, destroy: 0, no_op: 0})
    expect(change(p, 'gke_cluster.west').after_unknown).toEqual(['ca_certificate', 'endpoint'])
  })

  test('a converged estate plans no changes', () => {
    const p = plan({...base, observed: live})
    expect(p.summary).toEqual({add: 0, change: 0, replace: 0, destroy: 0, no_op: desired.length})
    expect(p.mode).toBe('live')
  })

  test('the same inputs give the same plan, byte for byte, whatever order they arrive in', () => {
    // An update, and deletes: a decommissioned cluster's resources the spec no longer names.
    const gone: ObservedResource[] = live
      .filter((o) => o.cluster === 'north')
      .map((o) => ({...o, address: o.address.replaceAll('north', 'south'), name: o.name.replaceAll('north', 'south'), cluster: 'south', dependsOn: o.dependsOn?.map((d) => d.replaceAll('north', 'south'))}))
    const observed = [...withAttributes(live, 'gke_cluster.west', {node_count: 4}), ...gone]
    const expected = renderJson(plan({...base, observed}))
    expect(JSON.parse(expected).summary).toMatchObject({change: 1, destroy: gone.length})
    // The estate arrives in whatever order the APIs list it; the desired graph's order is the
    // derivation's own (spec order within dependency order), so only the estate is shuffled.
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) expect(renderJson(plan({...base, observed: shuffled(observed, seed)}))).toBe(expected)
  })

  test('a mutable attribute plans an update with only that attribute', () => {
    const p = plan({...base, observed: withAttributes(live, 'gke_cluster.west', {node_count: 4})})
    const c = change(p, 'gke_cluster.west')
    expect(c.action).toBe('update')
    expect(c.changes).toEqual([{path: 'node_count', before: 4, after: 1}])
    expect(p.summary.change).toBe(1)
  })

  test('server-defaulted and output attributes never show as diffs', () => {
    const p = plan({...base, observed: withAttributes(live, 'gke_cluster.west', {endpoint: '192.0.2.1', status: 'RUNNING'})})
    expect(change(p, 'gke_cluster.west').action).toBe('no-op')
  })

  test('an immutable attribute plans a guarded replace that names the path, and takes dependents along', () => {
    const p = plan({...base, observed: withAttributes(live, 'gke_cluster.north', {location: 'europe-west1-c'})})
    const c = change(p, 'gke_cluster.north')
    expect(c).toMatchObject({action: 'replace', replace_order: 'delete-then-create', replace_paths: ['location'], guarded: true})
    expect(c.changes).toEqual([{path: 'location', before: 'europe-west1-c', after: 'europe-west1-b', forces_replacement: true}])
    expect(change(p, 'linkerd_issuer.north')).toMatchObject({action: 'replace', reason: 'gke_cluster.north is replaced'})
    expect(change(p, 'linkerd_link.north/east').action).toBe('replace')
    // A generation of credentials for a link into north is never re-issued in place (the service
    // mirror would not read it again): the next plan finds it unusable and makes a new one.
    expect(change(p, 'linkerd_link_credential.west/north/g1').action).toBe('no-op')
  })

  test('subnet range change replaces the subnet and the cluster on it', () => {
    const p = plan({...base, observed: withAttributes(live, 'gcp_subnetwork.east', {secondary_ip_ranges: {pods: '10.200.0.0/14', services: '10.112.0.0/20'}})})
    expect(change(p, 'gcp_subnetwork.east').action).toBe('replace')
    expect(change(p, 'gke_cluster.east')).toMatchObject({action: 'replace', reason: 'gcp_subnetwork.east is replaced', guarded: true})
    expect(change(p, 'gcp_network.east').action).toBe('no-op')
  })

  test('owned resources the spec no longer names are deleted; unowned ones are never touched', () => {
    const extra: ObservedResource[] = [
      {address: 'gcp_firewall.west-from-south', kind: 'gcp_firewall', name: 'west-from-south', cluster: 'west', attributes: {name: 'mc-demo-west-from-south'}, owned: true},
      {address: 'gcp_network.legacy', kind: 'gcp_network', name: 'legacy', cluster: 'legacy', attributes: {name: 'legacy'}, owned: false},
    ]
    const p = plan({...base, observed: [...live, ...extra]})
    expect(change(p, 'gcp_firewall.west-from-south')).toMatchObject({action: 'delete', after: null, reason: 'no longer in the spec'})
    expect(p.resource_changes.find((c) => c.address === 'gcp_network.legacy')).toBeUndefined()
    expect(p.summary.destroy).toBe(1)
  })

  test('deleting a network or cluster is guarded; a firewall is not', () => {
    const gone: ObservedResource[] = [
      {address: 'gcp_network.south', kind: 'gcp_network', name: 'south', cluster: 'south', attributes: {}, owned: true},
      {address: 'gcp_firewall.south-from-west', kind: 'gcp_firewall', name: 'south-from-west', cluster: 'south', attributes: {}, owned: true, dependsOn: ['gcp_network.south']},
    ]
    const p = plan({...base, observed: [...live, ...gone]})
    expect(change(p, 'gcp_network.south').guarded).toBe(true)
    expect(change(p, 'gcp_firewall.south-from-west').guarded).toBeUndefined()
    const order = p.resource_changes.map((c) => c.address)
    expect(order.indexOf('gcp_network.south')).toBeLessThan(order.indexOf('gcp_firewall.south-from-west'))
  })

  test('an existing object without our marker is an error, never adopted', () => {
    const observed = live.map((o) => (o.address === 'gcp_network.west' ? {...o, owned: false} : o))
    const p = plan({...base, observed})
    expect(p.applyable).toBe(false)
    expect(p.diagnostics.map((d) => d.rule)).toContain('ownership/conflict')
    expect(p.resource_changes.find((c) => c.address === 'gcp_network.west')).toBeUndefined()
  })

  test('sensitive values never reach the plan, changed or not', () => {
    const observed = withAttributes(live, 'linkerd_link_credential.west/east/g1', {credentials: 'OLD-SECRET-CANARY'})
    const p = plan({...base, observed})
    const json = renderJson(p)
    expect(json).not.toMatch(/SECRET-CANARY/)
    const c = change(p, 'linkerd_link_credential.west/east/g1')
    // The desired token is unknown (one is issued on apply), so the live value is kept, and masked.
    expect(c.before?.credentials).toBe('(sensitive)')
  })

  test('a changed sensitive value shows as a change without its value', () => {
    const observed = withAttributes(live, 'linkerd_issuer.west', {private_key: 'OTHER-KEY-SECRET-CANARY'})
    const desiredKnownKey = desired.map((r) => (r.address === 'linkerd_issuer.west' ? {...r, attributes: {...r.attributes, private_key: 'NEW-KEY-SECRET-CANARY'}, unknown: r.unknown.filter((u) => u !== 'private_key')} : r))
    const p = plan({...base, desired: desiredKnownKey, observed})
    expect(change(p, 'linkerd_issuer.west').changes).toEqual([{path: 'private_key', sensitive: true}])
    expect(renderJson(p)).not.toMatch(/SECRET-CANARY/)
  })
})
