import {describe, expect, test} from 'vitest'

import type {ApplyEvent} from '../../../src/apply/events.js'
import {applyPlan} from '../../../src/engine/apply.js'
import {desiredGraph} from '../../../src/graph/desired.js'
import type {Attributes, ObservedResource} from '../../../src/graph/resource.js'
import {RESOURCE_KINDS} from '../../../src/model/kinds.js'
import {plan} from '../../../src/plan/planner.js'
import type {Plan, ResourceChange} from '../../../src/plan/types.js'
import type {Mutation, Provider} from '../../../src/providers/types.js'
import {converged, withAttributes} from '../../support/observed.js'
import {loadValidSpec, THREE_REGION} from '../../support/specs.js'

const spec = loadValidSpec(THREE_REGION)
const desired = desiredGraph(spec, {fingerprint: 'sha256:aaaa', notAfter: '2035-01-01T00:00:00.000Z'})
const base = {federation: 'mc-demo', project: 'my-project', mcfedVersion: 'test', desired}

/**
 * An estate in memory: each step is a write to a map, after a turn of the event loop so steps
 * overlap as real calls do. It records the order of calls and the most that ran at once.
 */
class MemoryProvider implements Provider {
  readonly tellsFacts = false
  readonly kinds = RESOURCE_KINDS
  readonly name = 'memory'
  readonly estate = new Map<string, Attributes>()
  readonly calls: string[] = []
  running = 0
  mostAtOnce = 0
  constructor(
    private readonly failing: ReadonlySet<string> = new Set(),
    /** How long each mutation takes; a call is recorded when it completes. */
    private readonly ms: Partial<Record<Mutation, number>> = {},
  ) {}
  read(): never {
    throw new Error('not read in these tests')
  }
  async apply(step: Mutation, change: ResourceChange): Promise<void> {
    this.running++
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running)
    try {
      await new Promise((r) => setTimeout(r, this.ms[step] ?? 1))
      this.calls.push(`${step} ${change.address}`)
      if (this.failing.has(change.address)) throw new Error(`the API refused ${change.address}`)
      if (step === 'delete') this.estate.delete(change.address)
      else this.estate.set(change.address, change.after ?? {})
    } finally {
      this.running--
    }
  }
  async close(): Promise<void> {}
}

async function run(p: Plan, provider: MemoryProvider, parallelism = 4) {
  const events: ApplyEvent[] = []
  const summary = await applyPlan({plan: p, providers: [provider], parallelism, allowDestroy: true, onEvent: (e) => events.push(e)})
  return {summary, events}
}

const position = (calls: readonly string[], call: string) => {
  const i = calls.indexOf(call)
  if (i < 0) throw new Error(`${call} never ran; calls: ${calls.join(', ')}`)
  return i
}

describe('apply engine against an in-memory provider', () => {
  test('a first apply creates everything, each resource after what it depends on', async () => {
    const provider = new MemoryProvider()
    const p = plan(base)
    const {summary} = await run(p, provider)
    expect(summary.failed).toEqual([])
    expect(provider.estate.size).toBe(desired.length)
    for (const r of desired) {
      for (const d of r.dependsOn) expect(position(provider.calls, `create ${d}`), `${d} before ${r.address}`).toBeLessThan(position(provider.calls, `create ${r.address}`))
    }
    // What apply wrote is what the plan said it would: the kinds build from `after`.
    for (const c of p.resource_changes) expect(provider.estate.get(c.address)).toEqual(c.after)
  })

  test('never more steps at once than --parallelism', async () => {
    for (const parallelism of [1, 3]) {
      const provider = new MemoryProvider()
      await run(plan(base), provider, parallelism)
      expect(provider.mostAtOnce).toBeLessThanOrEqual(parallelism)
      expect(provider.mostAtOnce).toBe(parallelism)
    }
  })

  test('a failure skips what depends on it, transitively; independent branches finish', async () => {
    const provider = new MemoryProvider(new Set(['gcp_subnetwork.west']))
    const {summary, events} = await run(plan(base), provider)
    expect(summary.failed.map((f) => f.step)).toEqual(['gcp_subnetwork.west#create'])
    expect(summary.failed[0]!.error.message).toContain('the API refused gcp_subnetwork.west')
    // The cluster on the subnet, and everything inside that cluster, never started.
    expect(summary.skipped).toContain('gke_cluster.west#create')
    expect(summary.skipped.some((s) => s.startsWith('linkerd_issuer.west#'))).toBe(true)
    expect(provider.calls.some((c) => c.endsWith(' gke_cluster.west'))).toBe(false)
    // Other clusters were built whole.
    expect(provider.estate.has('gke_cluster.east')).toBe(true)
    expect(provider.estate.has('gke_cluster.north')).toBe(true)
    expect(events.filter((e) => e.type === 'step_skipped').length).toBe(summary.skipped.length)
  })

  test('a delete-then-create replace deletes dependents first and recreates them after', async () => {
    const live = converged(desired)
    // A zone move replaces the cluster; everything inside it goes with it.
    const moved = withAttributes(live, 'gke_cluster.north', {location: 'europe-west1-c'})
    const provider = new MemoryProvider()
    for (const o of moved) provider.estate.set(o.address, o.attributes)
    const p = plan({...base, observed: moved})
    const cluster = p.resource_changes.find((c) => c.address === 'gke_cluster.north')!
    expect(cluster).toMatchObject({action: 'replace', replace_order: 'delete-then-create'})
    const {summary} = await run(p, provider)
    expect(summary.failed).toEqual([])
    const calls = provider.calls
    expect(position(calls, 'delete gke_cluster.north')).toBeLessThan(position(calls, 'create gke_cluster.north'))
    // A create-then-delete kind inside the cluster is one step that overwrites, after the new cluster.
    const issuer = p.resource_changes.find((c) => c.address === 'linkerd_issuer.north')!
    expect(issuer.action).toBe('replace')
    expect(position(calls, 'create gke_cluster.north')).toBeLessThan(position(calls, 'create linkerd_issuer.north'))
    expect(calls).not.toContain('delete linkerd_issuer.north')
    expect(provider.estate.get('gke_cluster.north')).toMatchObject({location: cluster.after!.location})
    expect(cluster.before).toMatchObject({location: 'europe-west1-c'})
  })

  test('deletes run in reverse dependency order: a network after its subnet and peerings', async () => {
    const live = converged(desired)
    const gone: ObservedResource[] = live
      .filter((o) => o.cluster === 'north' && o.kind.startsWith('gcp_'))
      .map((o) => ({...o, address: o.address.replaceAll('north', 'south'), name: o.name.replaceAll('north', 'south'), cluster: 'south', dependsOn: o.dependsOn?.map((d) => d.replaceAll('north', 'south'))}))
    const provider = new MemoryProvider()
    const p = plan({...base, observed: [...live, ...gone]})
    const {summary} = await run(p, provider)
    expect(summary.failed).toEqual([])
    const calls = provider.calls
    expect(position(calls, 'delete gcp_subnetwork.south')).toBeLessThan(position(calls, 'delete gcp_network.south'))
    for (const c of calls.filter((x) => x.startsWith('delete gcp_firewall.south'))) expect(position(calls, c)).toBeLessThan(position(calls, 'delete gcp_network.south'))
  })
})

describe('firewalls: one rule per network replaces the rules per peer', () => {
  test('the old per-peer rules mcfed owns are deleted only after the new rule of their network exists; a rule it does not own is never touched', async () => {
    const live = converged(desired).filter((o) => o.kind !== 'gcp_firewall')
    // What an estate made before one rule per network holds: a rule per peer, each with its marker.
    const perPeer = (cluster: string, peer: string): ObservedResource => ({
      address: `gcp_firewall.${cluster}-from-${peer}`,
      kind: 'gcp_firewall',
      name: `${cluster}-from-${peer}`,
      cluster,
      owned: true,
      dependsOn: [`gcp_network.${cluster}`],
      attributes: {name: `mc-demo-${cluster}-from-${peer}`, network: `mc-demo-${cluster}`, direction: 'INGRESS', priority: 1000, source_ranges: [], allowed: ['icmp', 'tcp', 'udp']},
    })
    const theirs = {...perPeer('north', 'west'), owned: false}
    const old = [perPeer('west', 'east'), perPeer('west', 'north'), perPeer('east', 'west'), theirs]
    const p = plan({...base, observed: [...live, ...old]})
    expect(p.resource_changes.filter((c) => c.kind === 'gcp_firewall').map((c) => [c.address, c.action])).toEqual(
      expect.arrayContaining([
        ['gcp_firewall.west', 'create'],
        ['gcp_firewall.west-from-east', 'delete'],
        ['gcp_firewall.west-from-north', 'delete'],
        ['gcp_firewall.east-from-west', 'delete'],
      ]),
    )
    // Creating a rule takes longer than deleting one: only waiting makes the new rule come first.
    const provider = new MemoryProvider(new Set(), {create: 20, delete: 1})
    const {summary} = await run(p, provider, 16)
    expect(summary.failed).toEqual([])
    const calls = provider.calls
    for (const gone of ['west-from-east', 'west-from-north']) expect(position(calls, 'create gcp_firewall.west')).toBeLessThan(position(calls, `delete gcp_firewall.${gone}`))
    expect(position(calls, 'create gcp_firewall.east')).toBeLessThan(position(calls, 'delete gcp_firewall.east-from-west'))
    expect(calls.some((c) => c.endsWith(theirs.address))).toBe(false)
  })
})
