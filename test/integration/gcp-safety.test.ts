import {afterEach, beforeEach, describe, expect, test} from 'vitest'

import {gcloudFor} from '../support/gcloud.js'
import {simFixture, type SimFixture} from '../support/sim.js'
import {until} from '../support/until.js'

let f: SimFixture
beforeEach(async () => {
  f = await simFixture()
})
afterEach(async () => {
  await f.close()
})

const apply = (spec: string, extra: string[] = []) => f.run(['apply', '-f', spec, '--auto-approve', '--no-color', ...extra])
const json = <T>(text: string) => JSON.parse(text) as T
const leaseItems = async () => (await f.clients.projects.get({project: 'my-project'}))[0].commonInstanceMetadata?.items ?? []

describe('gcloud sees what mcfed made, and mcfed sees what gcloud changed', () => {
  test('networks, peerings, subnets, firewalls and clusters match the spec; a gcloud deletion is drift (exit 2)', {timeout: 180_000}, async () => {
    expect((await apply(f.spec)).code).toBe(0)
    const gcloud = await gcloudFor(f.sim.url, 'my-project')
    const networks = json<{name: string; x_gcloud_subnet_mode?: string; autoCreateSubnetworks: boolean}[]>(await gcloud(['compute', 'networks', 'list', '--format=json']))
    expect(networks.map((n) => [n.name, n.autoCreateSubnetworks]).sort()).toEqual([
      ['mc-demo-east', false],
      ['mc-demo-north', false],
      ['mc-demo-west', false],
    ])
    const peerings = json<{name: string; peerings: {name: string; state: string; exportCustomRoutes: boolean; importCustomRoutes: boolean}[]}[]>(
      await gcloud(['compute', 'networks', 'peerings', 'list', '--format=json']),
    )
    const halves = peerings.flatMap((n) => n.peerings.map((p) => `${n.name}:${p.name}:${p.state}:${p.exportCustomRoutes}:${p.importCustomRoutes}`)).sort()
    expect(halves).toEqual([
      'mc-demo-east:mc-demo-east-north:ACTIVE:true:true',
      'mc-demo-east:mc-demo-east-west:ACTIVE:true:true',
      'mc-demo-north:mc-demo-north-east:ACTIVE:true:true',
      'mc-demo-north:mc-demo-north-west:ACTIVE:true:true',
      'mc-demo-west:mc-demo-west-east:ACTIVE:true:true',
      'mc-demo-west:mc-demo-west-north:ACTIVE:true:true',
    ])
    const subnets = json<{name: string; ipCidrRange: string; region: string; secondaryIpRanges: {rangeName: string; ipCidrRange: string}[]}[]>(
      await gcloud(['compute', 'networks', 'subnets', 'list', '--format=json']),
    )
    expect(subnets.map((s) => [s.name, s.region.split('/').pop(), s.ipCidrRange, s.secondaryIpRanges.map((r) => r.ipCidrRange).join(',')]).sort()).toEqual([
      ['mc-demo-east', 'us-east1', '10.20.0.0/20', '10.108.0.0/14,10.112.0.0/20'],
      ['mc-demo-north', 'europe-west1', '10.30.0.0/20', '10.116.0.0/14,10.120.0.0/20'],
      ['mc-demo-west', 'us-central1', '10.10.0.0/20', '10.100.0.0/14,10.104.0.0/20'],
    ])
    const firewalls = json<{name: string; sourceRanges: string[]}[]>(await gcloud(['compute', 'firewall-rules', 'list', '--format=json']))
    // One rule per cluster network, admitting every peer's subnet and pod ranges.
    expect(firewalls.find((x) => x.name === 'mc-demo-west-from-peers')?.sourceRanges.sort()).toEqual(['10.108.0.0/14', '10.116.0.0/14', '10.20.0.0/20', '10.30.0.0/20'])
    expect(firewalls).toHaveLength(3)
    const clusters = json<{name: string; location: string; status: string; currentNodeCount: number}[]>(await gcloud(['container', 'clusters', 'list', '--format=json']))
    expect(clusters.map((c) => [c.name, c.location, c.status, c.currentNodeCount]).sort()).toEqual([
      ['east', 'us-east1-b', 'RUNNING', 1],
      ['north', 'europe-west1-b', 'RUNNING', 1],
      ['west', 'us-central1-a', 'RUNNING', 1],
    ])
    // mcfed finds a creation whose answer was lost through this list; gcloud reads it the same way.
    const operations = json<{operationType: string; status: string; targetLink: string}[]>(await gcloud(['container', 'operations', 'list', '--format=json']))
    expect(operations.filter((o) => o.operationType === 'CREATE_CLUSTER' && o.status === 'DONE').map((o) => o.targetLink.split('/').pop()).sort()).toEqual(['east', 'north', 'west'])

    await gcloud(['compute', 'networks', 'peerings', 'delete', 'mc-demo-east-north', '--network', 'mc-demo-east', '--quiet'])
    const drift = await f.run(['drift', '-f', f.spec, '--no-color'])
    expect(drift.code).toBe(2)
    expect(drift.stdout).toContain('# gcp_peering.east-north will be created')
    expect(drift.stdout).toContain('Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy.')
    const md = await f.run(['drift', '-f', f.spec, '--format', 'markdown'])
    expect(md.code).toBe(2)
    expect(md.stdout).toContain('| east | 1 | 0 | 0 | 0 |')
    expect((await apply(f.spec)).code).toBe(0)
    expect((await f.run(['drift', '-f', f.spec])).code).toBe(0)
  })
})

describe('safety', () => {
  test('a saved plan is refused once the estate moved', async () => {
    const saved = `${f.dir}/plan.json`
    expect((await f.run(['plan', '-f', f.spec, '-o', saved])).code).toBe(0)
    // Someone else creates a network of ours in the meantime.
    expect((await apply(f.spec)).code).toBe(0)
    const r = await f.run(['apply', saved, '-f', f.spec])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`saved plan ${saved} is stale: the gcp estate changed since it was made`)
    // A fresh plan of a converged estate applies (nothing to do) without complaint.
    const fresh = `${f.dir}/fresh.json`
    expect((await f.run(['plan', '-f', f.spec, '-o', fresh])).code).toBe(0)
    expect((await f.run(['apply', fresh, '-f', f.spec])).code).toBe(0)
  })

  test('a saved plan is refused when the spec changed', async () => {
    const saved = `${f.dir}/plan.json`
    expect((await f.run(['plan', '-f', f.spec, '-o', saved])).code).toBe(0)
    const changed = f.writeSpec('federation.yaml', (t) => t.replace('nodeCount: 1\n      network: { subnet: 10.30', 'nodeCount: 2\n      network: { subnet: 10.30'))
    const r = await f.run(['apply', saved, '-f', changed])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('is stale: the spec changed')
  })

  test('a saved plan applies the layers it was made for; an offline plan is refused', async () => {
    const offline = `${f.dir}/offline.json`
    expect((await f.run(['plan', '--offline', '-f', f.spec, '-o', offline])).code).toBe(0)
    const refused = await f.run(['apply', offline, '-f', f.spec])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`saved plan ${offline} was made with --offline`)

    const gcpOnly = `${f.dir}/gcp.json`
    expect((await f.run(['plan', '-f', f.spec, '-o', gcpOnly])).code).toBe(0)
    const other = await f.run(['apply', gcpOnly, '-f', f.spec, '--layer', 'kube'])
    expect(other.code).toBe(1)
    expect(other.stderr).toContain(`saved plan ${gcpOnly} covers the gcp layer, not kube`)
    // Without --layer, the plan's own layers are read and changed (here: no kube provider at all).
    const r = await f.run(['apply', gcpOnly, '-f', f.spec, '--no-color'], {MCFED_LAYERS: ''})
    expect(r.code, r.stderr).toBe(0)
    expect((await f.run(['plan', '-f', f.spec, '--detailed-exitcode'])).code).toBe(0)
  })

  test('a second apply while one runs is refused naming the holder; the first finishes and the lease is gone', async () => {
    // Hold the first apply inside its run (cluster creation answers only when the faults are
    // cleared), so the second starts while the lease is certainly held, however slow the machine.
    f.sim.faults.add({route: 'container.projects.locations.clusters.create', latencyMs: 120_000, times: -1})
    const first = f.start(['apply', '-f', f.spec, '--auto-approve', '--no-color'])
    await until('the first apply takes the lease', async () => (await leaseItems()).some((i) => i.key === 'mcfed-lock-mc-demo'))
    const second = await apply(f.spec)
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/federation mc-demo is locked by .+ \(apply since /)
    f.sim.faults.clear()
    expect((await first.result).code).toBe(0)
    expect((await f.run(['plan', '-f', f.spec, '--detailed-exitcode'])).code).toBe(0)
    expect(await leaseItems()).toEqual([])
  })

  test('with --lock-timeout the second apply waits its turn instead', async () => {
    const [a, b] = await Promise.all([apply(f.spec, ['--lock-timeout', '60s']), apply(f.spec, ['--lock-timeout', '60s'])])
    expect([a.code, b.code]).toEqual([0, 0])
    expect([a.stdout, b.stdout].filter((o) => o.includes('No changes.'))).toHaveLength(1)
  })

  test('an immutable change plans a replace and is refused without --allow-destroy, changing nothing', async () => {
    expect((await apply(f.spec)).code).toBe(0)
    const moved = f.writeSpec('moved.yaml', (t) => t.replace('zone: europe-west1-b', 'zone: europe-west1-c'))
    const plan = await f.run(['plan', '-f', moved, '--no-color'])
    expect(plan.stdout).toContain('# gke_cluster.north must be replaced (location cannot be changed in place)')
    expect(plan.stdout).toContain('~ location       = "europe-west1-b" -> "europe-west1-c" # forces replacement')
    f.sim.resetCalls()
    const refused = await apply(moved)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('the plan destroys live infrastructure and --allow-destroy was not given: gke_cluster.north (replace)')
    const mutations = Object.keys(f.sim.calls()).filter((k) => /insert|delete|create|update|patch|Peering|setSize/i.test(k))
    expect(mutations).toEqual([])
    const allowed = await apply(moved, ['--allow-destroy'])
    expect(allowed.code, allowed.stdout).toBe(0)
    const [{clusters}] = await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'})
    expect(clusters?.find((c) => c.name === 'north')?.location).toBe('europe-west1-c')
    expect((await f.run(['plan', '-f', moved, '--detailed-exitcode'])).code).toBe(0)
  })

  test('nothing the federation does not own is ever deleted, by apply or destroy', async () => {
    const project = 'my-project'
    const wait = async (op: unknown) => {
      let o = (op as {latestResponse: {name: string; status: string}}).latestResponse
      while (o.status !== 'DONE') [o] = (await f.clients.globalOperations.wait({project, operation: o.name})) as unknown as [typeof o]
    }
    await wait((await f.clients.networks.insert({project, networkResource: {name: 'legacy', autoCreateSubnetworks: false, description: 'hand-made'}}))[0])
    await wait((await f.clients.firewalls.insert({project, firewallResource: {name: 'legacy-ssh', network: 'global/networks/legacy', sourceRanges: ['0.0.0.0/0'], allowed: [{IPProtocol: 'tcp', ports: ['22']}]}}))[0])
    // A foreign network that merely carries another federation's marker is not ours either.
    await wait((await f.clients.networks.insert({project, networkResource: {name: 'other-west', autoCreateSubnetworks: false, description: 'managed by mcfed; federation=other; cluster=west'}}))[0])
    expect((await apply(f.spec)).code).toBe(0)
    const destroy = await f.run(['destroy', '-f', f.spec, '--auto-approve', '--allow-destroy', '--no-color'])
    expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0)
    expect(destroy.stdout).toContain('Plan: 0 to add, 0 to change, 0 to replace, 18 to destroy.')
    const [networks] = await f.clients.networks.list({project})
    expect(networks.map((n) => n.name).sort()).toEqual(['legacy', 'other-west'])
    const [firewalls] = await f.clients.firewalls.list({project})
    expect(firewalls.map((x) => x.name)).toEqual(['legacy-ssh'])
  })

  test('destroy without --allow-destroy refuses and changes nothing', async () => {
    expect((await apply(f.spec)).code).toBe(0)
    f.sim.resetCalls()
    const r = await f.run(['destroy', '-f', f.spec, '--auto-approve'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--allow-destroy was not given')
    expect(Object.keys(f.sim.calls()).filter((k) => /delete|remove/i.test(k))).toEqual([])
  })

  test('apply without --auto-approve and without a terminal refuses instead of prompting', async () => {
    const r = await f.run(['apply', '-f', f.spec])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('stdin is not a terminal')
    expect((await f.clients.networks.list({project: 'my-project'}))[0]).toEqual([])
  })
})
