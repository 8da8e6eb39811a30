import {afterEach, beforeEach, describe, expect, test} from 'vitest'

import {STACK_TRACE} from '../support/cli.js'
import {simFixture, type SimFixture} from '../support/sim.js'
import {until} from '../support/until.js'

let f: SimFixture
beforeEach(async () => {
  f = await simFixture()
})
afterEach(async () => {
  await f.close()
})

const apply = (extra: string[] = []) => f.run(['apply', '-f', f.spec, '--auto-approve', '--no-color', ...extra])
const planExit = async (spec = f.spec) => (await f.run(['plan', '-f', spec, '--detailed-exitcode'])).code

async function estate() {
  const project = 'my-project'
  const [networks] = await f.clients.networks.list({project})
  const subnets = []
  for await (const [, scoped] of f.clients.subnetworks.aggregatedListAsync({project}, {autoPaginate: false})) subnets.push(...(scoped.subnetworks ?? []))
  const [firewalls] = await f.clients.firewalls.list({project})
  const [{clusters}] = await f.clients.clusters.listClusters({parent: `projects/${project}/locations/-`})
  return {networks, subnets, firewalls, clusters: clusters ?? []}
}

describe('apply of the three-region example to the simulator, through the real client libraries', () => {
  test('creates exactly the GCP layer the spec asks for, and a second plan is empty', async () => {
    const r = await apply()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('Apply complete! 18 steps done.')
    const e = await estate()
    expect(e.networks.map((n) => n.name).sort()).toEqual(['mc-demo-east', 'mc-demo-north', 'mc-demo-west'])
    const peerings = e.networks.flatMap((n) => (n.peerings ?? []).map((p) => ({net: n.name, ...p})))
    expect(peerings).toHaveLength(6)
    for (const p of peerings) expect(p).toMatchObject({state: 'ACTIVE', exportCustomRoutes: true, importCustomRoutes: true})
    expect(Object.fromEntries(e.subnets.map((s) => [s.name, s.secondaryIpRanges?.map((r) => `${r.rangeName}=${r.ipCidrRange}`)]))).toEqual({
      'mc-demo-west': ['pods=10.100.0.0/14', 'services=10.104.0.0/20'],
      'mc-demo-east': ['pods=10.108.0.0/14', 'services=10.112.0.0/20'],
      'mc-demo-north': ['pods=10.116.0.0/14', 'services=10.120.0.0/20'],
    })
    expect(e.firewalls).toHaveLength(3)
    expect(e.clusters.map((c) => [c.name, c.location, c.locations, c.status])).toEqual(
      expect.arrayContaining([
        ['west', 'us-central1-a', ['us-central1-a'], 'RUNNING'],
        ['east', 'us-east1-b', ['us-east1-b'], 'RUNNING'],
        ['north', 'europe-west1-b', ['europe-west1-b'], 'RUNNING'],
      ]),
    )
    expect(await planExit()).toBe(0)
  })

  test('--json-events streams NDJSON progress; --json prints only the typed result', async () => {
    const events = await apply(['--json-events', '--target', 'gcp_subnetwork.west'])
    expect(events.code, events.stderr).toBe(0)
    const lines = events.stdout.trim().split('\n').map((l) => JSON.parse(l) as {type: string; address?: string})
    expect(lines[0]!.type).toBe('apply_start')
    expect(lines.at(-1)!.type).toBe('apply_summary')
    expect(lines.filter((e) => e.type === 'step_done').map((e) => e.address).sort()).toEqual(['gcp_network.west', 'gcp_subnetwork.west'])

    const result = await apply(['--json'])
    expect(result.code, result.stderr).toBe(0)
    const typed = JSON.parse(result.stdout) as {federation: string; operation: string; outcome: string; plan: {add: number}; summary: {done: string[]; failed: unknown[]}}
    expect(typed).toMatchObject({federation: 'mc-demo', operation: 'apply', outcome: 'applied', plan: {add: 16}, summary: {failed: []}})
    expect(typed.summary.done).toHaveLength(16)
    const again = JSON.parse((await apply(['--json'])).stdout) as {outcome: string}
    expect(again.outcome).toBe('nothing-to-do')
    expect((await apply(['--json', '--json-events'])).code).toBe(1)
  })

  test('a no-op plan reads with four list calls, however many resources exist', async () => {
    expect((await apply()).code).toBe(0)
    f.sim.resetCalls()
    expect(await planExit()).toBe(0)
    const calls = f.sim.calls()
    expect(calls).toEqual({
      'compute.networks.list': 1,
      'compute.subnetworks.aggregatedList': 1,
      'compute.firewalls.list': 1,
      'container.projects.locations.clusters.list': 1,
    })
  })

  test('429 and 503 are retried to success', async () => {
    f.sim.faults.add({route: 'compute.networks.insert', status: 429, reason: 'rateLimitExceeded', times: 2})
    f.sim.faults.add({route: 'compute.subnetworks.insert', status: 503, times: 2})
    f.sim.faults.add({route: 'compute.networks.list', status: 503, times: 1})
    const r = await apply()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(f.sim.calls()['compute.networks.insert']).toBe(5)
    expect(await planExit()).toBe(0)
  })

  test('a write whose answer is lost is not made twice: replayed by requestId, or adopted when GKE says it exists', async () => {
    // The server commits, then the connection drops: the client sees 503 and cannot know.
    f.sim.faults.add({route: 'compute.networks.insert', status: 503, afterServing: true, times: 1})
    f.sim.faults.add({route: 'container.projects.locations.clusters.create', path: '/locations/us-east1-b/', status: 503, afterServing: true})
    const r = await apply()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const [networks] = await f.clients.networks.list({project: 'my-project'})
    expect(networks.map((n) => n.name).sort()).toEqual(['mc-demo-east', 'mc-demo-north', 'mc-demo-west'])
    const [{clusters}] = await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'})
    expect(clusters?.map((c) => `${c.name}:${c.status}`).sort()).toEqual(['east:RUNNING', 'north:RUNNING', 'west:RUNNING'])
    expect(await planExit()).toBe(0)

    // And a delete whose answer is lost is done, not a failure, once the resource is gone.
    f.sim.faults.add({route: 'container.projects.locations.clusters.delete', path: '/locations/us-east1-b/', status: 503, afterServing: true})
    f.sim.faults.add({route: 'compute.firewalls.delete', status: 503, afterServing: true, times: 1})
    const d = await f.run(['destroy', '-f', f.spec, '--auto-approve', '--allow-destroy', '--no-color'])
    expect(d.code, d.stdout + d.stderr).toBe(0)
    const [{clusters: left}] = await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'})
    expect(left ?? []).toEqual([])
  })

  test('under a fault mix (refused calls, rate limits, lost answers) apply and destroy succeed in one run and make nothing twice', async () => {
    f.sim.faults.reseed(20261121)
    const injectMix = () => [
      f.sim.faults.add({status: 503, probability: 0.05, times: -1}),
      f.sim.faults.add({status: 429, reason: 'rateLimitExceeded', probability: 0.03, times: -1}),
      f.sim.faults.add({method: 'POST', status: 503, afterServing: true, probability: 0.05, times: -1}),
      f.sim.faults.add({method: 'DELETE', status: 503, afterServing: true, probability: 0.05, times: -1}),
    ]
    const injected = (ids: number[]) => f.sim.faults.list().filter((x) => ids.includes(x.id)).reduce((sum, x) => sum + x.hits, 0)
    let mix = injectMix()
    const r = await apply()
    expect(injected(mix), 'the mix injected faults').toBeGreaterThan(3)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    f.sim.faults.clear()
    const [networks] = await f.clients.networks.list({project: 'my-project'})
    expect(networks.map((n) => n.name).sort()).toEqual(['mc-demo-east', 'mc-demo-north', 'mc-demo-west'])
    const [firewalls] = await f.clients.firewalls.list({project: 'my-project'})
    expect(firewalls).toHaveLength(3)
    const [{clusters}] = await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'})
    expect(clusters?.map((c) => c.name).sort()).toEqual(['east', 'north', 'west'])
    expect(await planExit()).toBe(0)

    mix = injectMix()
    const d = await f.run(['destroy', '-f', f.spec, '--auto-approve', '--allow-destroy', '--no-color'])
    expect(injected(mix), 'the mix injected faults').toBeGreaterThan(3)
    expect(d.code, d.stdout + d.stderr).toBe(0)
    f.sim.faults.clear()
    expect((await f.clients.networks.list({project: 'my-project'}))[0]).toEqual([])
    expect((await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'}))[0].clusters ?? []).toEqual([])
  })

  test('a failed operation: partial apply summary with the API reason, dependents skipped, a re-run converges', async () => {
    f.sim.faults.add({route: 'compute.subnetworks.insert', path: '/regions/us-east1/', operationError: {code: 'QUOTA_EXCEEDED', message: "Quota 'SUBNETWORKS' exceeded.  Limit: 2.0 globally."}})
    const r = await apply()
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("gcp_subnetwork.east: failed after")
    expect(r.stdout).toContain("Quota 'SUBNETWORKS' exceeded.")
    expect(r.stdout).toContain('QUOTA_EXCEEDED')
    expect(r.stdout).toMatch(/Apply incomplete: 16 done, 1 failed, 1 skipped/)
    expect(r.stdout).toContain('skipped (a dependency failed): gke_cluster.east#create')
    expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE)
    expect((await estate()).clusters.map((c) => c.name).sort()).toEqual(['north', 'west'])
    const again = await apply()
    expect(again.code, again.stdout).toBe(0)
    expect(again.stdout).toContain('Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy.')
    expect(await planExit()).toBe(0)
  })

  test('a hung operation hits its timeout; the re-run converges', async () => {
    f.sim.faults.add({route: 'container.projects.locations.clusters.create', path: '/locations/us-east1-b/', hang: true})
    const r = await apply(['--operation-timeout', '2s'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/gke_cluster\.east: failed after \d+s.*timed out after 2s waiting for operation/)
    expect(r.stdout).toContain('mcfed plan')
    expect((await apply()).code).toBe(0)
    expect(await planExit()).toBe(0)
  })

  test('a process killed mid-apply is followed by a converging re-run', async () => {
    // Polls of cluster operations are held until the faults are cleared, so the kill lands while
    // the networks exist and the clusters are being created, however slow the machine.
    f.sim.faults.add({route: 'container.projects.locations.operations.get', latencyMs: 120_000, times: -1})
    const child = f.start(['apply', '-f', f.spec, '--auto-approve', '--no-color'])
    await until('cluster creation starts', async () => {
      const [{clusters}] = await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'})
      return (clusters ?? []).length > 0
    })
    child.child.kill('SIGKILL')
    const killed = await child.result
    f.sim.faults.clear()
    expect(killed.code).not.toBe(0)
    expect(killed.stdout).not.toContain('Apply complete')
    const again = await apply()
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(await planExit()).toBe(0)
  })
})
