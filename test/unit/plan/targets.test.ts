import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import type {ObservedResource} from '../../../src/graph/resource.js'
import {plan, type PlanInput} from '../../../src/plan/planner.js'
import {converged} from '../../support/observed.js'
import {loadValidSpec, THREE_REGION} from '../../support/specs.js'

const spec = loadValidSpec(THREE_REGION)
const desired = desiredGraph(spec, {fingerprint: 'sha256:aaaa', notAfter: '2035-01-01T00:00:00.000Z'})
const base: PlanInput = {federation: 'mc-demo', project: 'my-project', mcfedVersion: 'test', desired}
const live = converged(desired)
const addresses = (p: ReturnType<typeof plan>) => p.resource_changes.map((c) => c.address)

describe('--target', () => {
  test('keeps the target and everything it depends on, nothing else, and says the plan is partial', () => {
    const p = plan({...base, targets: ['gke_cluster.west']})
    expect(addresses(p)).toEqual(['gcp_network.west', 'gcp_subnetwork.west', 'gke_cluster.west'])
    expect(p.targets).toEqual(['gke_cluster.west'])
    expect(p.summary.add).toBe(3)
    expect(p.diagnostics.find((d) => d.rule === 'plan/targeted')).toMatchObject({severity: 'warning'})
    expect(p.applyable).toBe(true)
  })

  test('an unknown address is an error that names the nearest one', () => {
    const p = plan({...base, targets: ['gke_cluster.wets']})
    expect(p.applyable).toBe(false)
    expect(p.diagnostics.find((d) => d.rule === 'plan/unknown-address')).toMatchObject({message: '--target gke_cluster.wets names no resource of this federation', hint: 'did you mean gke_cluster.west?'})
  })

  test('what goes away takes along what cannot outlive it, but not dependencies that are deleted too', () => {
    const gone: ObservedResource[] = [
      {address: 'gcp_network.south', kind: 'gcp_network', name: 'south', cluster: 'south', attributes: {}, owned: true},
      {address: 'gcp_firewall.south-from-west', kind: 'gcp_firewall', name: 'south-from-west', cluster: 'south', attributes: {}, owned: true, dependsOn: ['gcp_network.south']},
    ]
    const network = plan({...base, observed: [...live, ...gone], targets: ['gcp_network.south']})
    expect(addresses(network)).toEqual(['gcp_network.south', 'gcp_firewall.south-from-west'])
    const firewall = plan({...base, observed: [...live, ...gone], targets: ['gcp_firewall.south-from-west']})
    expect(addresses(firewall)).toEqual(['gcp_firewall.south-from-west'])
  })

  test('destroy (nothing desired) of one cluster takes what runs in it, and leaves its network', () => {
    const p = plan({...base, desired: [], observed: live, targets: ['gke_cluster.west']})
    const out = addresses(p)
    expect(out).toContain('gke_cluster.west')
    expect(out).toContain('linkerd_control_plane.west')
    expect(out).not.toContain('gcp_network.west')
    expect(out.every((a) => !a.endsWith('.east') && !a.endsWith('.north'))).toBe(true)
    expect(p.resource_changes.every((c) => c.action === 'delete')).toBe(true)
  })
})

describe('--replace', () => {
  test('replaces a converged resource, and what dies with it, with a reason saying it was asked for', () => {
    const p = plan({...base, observed: live, replace: ['gcp_subnetwork.west']})
    const subnet = p.resource_changes.find((c) => c.address === 'gcp_subnetwork.west')!
    expect(subnet).toMatchObject({action: 'replace', reason: 'replacement requested with --replace', guarded: true})
    expect(p.resource_changes.find((c) => c.address === 'gke_cluster.west')).toMatchObject({action: 'replace', replaced_with: 'gcp_subnetwork.west'})
    expect(p.resource_changes.find((c) => c.address === 'gke_cluster.east')!.action).toBe('no-op')
  })

  test('re-issues one cluster\'s issuer without touching another\'s', () => {
    const p = plan({...base, observed: live, replace: ['linkerd_issuer.west'], targets: ['linkerd_issuer.west']})
    expect(p.resource_changes.find((c) => c.address === 'linkerd_issuer.west')!.action).toBe('replace')
    expect(addresses(p)).not.toContain('linkerd_issuer.east')
  })

  test('an unknown address is an error', () => {
    expect(plan({...base, observed: live, replace: ['linkerd_issuer.wset']}).applyable).toBe(false)
  })
})
