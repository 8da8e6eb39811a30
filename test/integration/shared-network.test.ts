import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, test} from 'vitest'

import {simFixture, type SimFixture} from '../support/sim.js'

let f: SimFixture
beforeEach(async () => {
  f = await simFixture()
})
afterEach(async () => {
  await f.close()
})

describe('a shared VPC in a Shared VPC host project, applied to the simulator through the real clients', () => {
  test('the VPC, its subnets and one firewall rule land in the host project, the clusters in the service project; a second plan is empty', async () => {
    const spec = join(f.dir, 'shared.yaml')
    writeFileSync(spec, readFileSync('examples/shared-network/federation.yaml', 'utf8'))
    const r = await f.run(['apply', '-f', spec, '--auto-approve', '--no-color'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).not.toContain('gcp_peering')

    const host = 'my-host-project'
    const [networks] = await f.clients.networks.list({project: host})
    expect(networks.map((n) => [n.name, n.peerings ?? []])).toEqual([['mc-shared', []]])
    const subnets = []
    for await (const [, scoped] of f.clients.subnetworks.aggregatedListAsync({project: host}, {autoPaginate: false})) subnets.push(...(scoped.subnetworks ?? []))
    expect(subnets.map((s) => [s.name, s.network?.split('/').pop(), s.ipCidrRange]).sort()).toEqual([
      ['mc-shared-east', 'mc-shared', '10.20.0.0/20'],
      ['mc-shared-north', 'mc-shared', '10.30.0.0/20'],
      ['mc-shared-west', 'mc-shared', '10.10.0.0/20'],
    ])
    const [firewalls] = await f.clients.firewalls.list({project: host})
    expect(firewalls.map((x) => [x.name, [...(x.sourceRanges ?? [])].sort()])).toEqual([
      ['mc-shared-from-clusters', ['10.10.0.0/20', '10.100.0.0/14', '10.108.0.0/14', '10.116.0.0/14', '10.20.0.0/20', '10.30.0.0/20']],
    ])
    // Nothing of the network is in the service project; the clusters are.
    expect((await f.clients.networks.list({project: 'my-project'}))[0]).toEqual([])
    const [{clusters}] = await f.clients.clusters.listClusters({parent: 'projects/my-project/locations/-'})
    expect(clusters?.map((c) => [c.name, c.network, c.subnetwork]).sort()).toEqual([
      ['east', 'projects/my-host-project/global/networks/mc-shared', 'projects/my-host-project/regions/us-east1/subnetworks/mc-shared-east'],
      ['north', 'projects/my-host-project/global/networks/mc-shared', 'projects/my-host-project/regions/europe-west1/subnetworks/mc-shared-north'],
      ['west', 'projects/my-host-project/global/networks/mc-shared', 'projects/my-host-project/regions/us-central1/subnetworks/mc-shared-west'],
    ])
    const again = await f.run(['plan', '-f', spec, '--detailed-exitcode', '--no-color'])
    expect(again.code, again.stdout).toBe(0)
  })
})
