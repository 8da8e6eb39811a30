import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, describe, expect, test} from 'vitest'

import {createGcpClients, type GcpClients} from '../../src/providers/gcp/client.js'
import {formatMarker} from '../../src/graph/ownership.js'
import {classify} from '../../src/providers/gcp/errors.js'
import {listGcp, masked} from '../../src/providers/gcp/listing.js'
import {DEFAULT_RETRY} from '../../src/providers/gcp/retry.js'
import {startGcpSimulator, type GcpSimulator} from '../../src/sandbox/gcp/server.js'

const project = 'sim-project'
let sim: GcpSimulator
let c: GcpClients

async function boot(stateFile?: string) {
  sim = await startGcpSimulator({operationMs: 10, clusterOperationMs: 10, waitCapMs: 500, stateFile})
  c = createGcpClients({kind: 'sandbox', url: sim.url})
}
afterEach(async () => {
  await c.close()
  await sim.close()
})

type Op = {name: string; status: string; error?: {errors?: {code?: string; message?: string}[]}}
async function done(response: unknown): Promise<Op> {
  let op = (response as {latestResponse: Op}).latestResponse
  while (op.status !== 'DONE') [op] = (await c.globalOperations.wait({project, operation: op.name})) as unknown as [Op]
  return op
}
const network = (name: string) => c.networks.insert({project, networkResource: {name, autoCreateSubnetworks: false}}).then(([op]) => done(op))
const subnet = async (name: string, net: string, cidr: string) => {
  const [op] = (await c.subnetworks.insert({project, region: 'us-central1', subnetworkResource: {name, network: `global/networks/${net}`, ipCidrRange: cidr}})) as unknown as [{latestResponse: Op}]
  let o = op.latestResponse
  while (o.status !== 'DONE') [o] = (await c.regionOperations.wait({project, region: 'us-central1', operation: o.name})) as unknown as [Op]
  return o
}
const peer = (net: string, other: string) =>
  c.networks.addPeering({project, network: net, networksAddPeeringRequestResource: {networkPeering: {name: `${net}-${other}`, network: `projects/${project}/global/networks/${other}`, exchangeSubnetRoutes: true}}}).then(([op]) => done(op))
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => classify(e))

describe('GCP simulator semantics, through the real client library', () => {
  test("a rate limit's Retry-After reaches mcfed through the client's error", async () => {
    await boot()
    sim.faults.add({route: 'compute.networks.list', status: 429, reason: 'rateLimitExceeded', retryAfterSeconds: 7})
    expect(await failure(c.networks.list({project}))).toMatchObject({status: 429, reason: 'rateLimitExceeded', retryable: true, retryAfterMs: 7_000})
  })

  test('the client libraries never retry on their own: a 503 reaches mcfed after one request, so retries do not stack', async () => {
    await boot()
    await network('a')
    sim.faults.add({status: 503, times: -1})
    const before = sim.calls()
    expect(await failure(c.networks.get({project, network: 'a'}))).toMatchObject({status: 503, retryable: true})
    expect(await failure(c.clusters.listClusters({parent: `projects/${project}/locations/-`}))).toMatchObject({status: 503, retryable: true})
    const after = sim.calls()
    expect((after['compute.networks.get'] ?? 0) - (before['compute.networks.get'] ?? 0)).toBe(1)
    expect(Object.entries(after).filter(([k]) => k.startsWith('container.')).reduce((n, [k, v]) => n + v - (before[k] ?? 0), 0)).toBe(1)
    // 504 is DEADLINE_EXCEEDED, the other code the libraries' own configuration calls retryable.
    sim.faults.clear()
    sim.faults.add({status: 504, times: -1})
    expect(await failure(c.networks.list({project}))).toMatchObject({status: 504})
    expect((sim.calls()['compute.networks.list'] ?? 0) - (after['compute.networks.list'] ?? 0)).toBe(1)
  })

  test('a list with the read\'s field mask (X-Goog-FieldMask through the client) gets only those fields', async () => {
    await boot()
    await network('a')
    const [[whole]] = await c.lists.networks.list({project})
    const [[part]] = await c.lists.networks.list({project}, masked('networks'))
    expect(whole).toMatchObject({name: 'a', creationTimestamp: expect.any(String), selfLinkWithId: expect.any(String)})
    expect(part).toMatchObject({name: 'a', selfLink: whole!.selfLink, mtu: whole!.mtu})
    expect(part!.creationTimestamp ?? undefined).toBeUndefined()
    expect(part!.selfLinkWithId ?? undefined).toBeUndefined()
  })

  test('a peering is ACTIVE only once both halves exist, and INACTIVE again when one goes', async () => {
    await boot()
    await network('a')
    await network('b')
    await peer('a', 'b')
    // A GET and a list (which sees every network at once) say the same.
    const state = async () => {
      const got = (await c.networks.get({project, network: 'a'}))[0].peerings?.[0]?.state
      const listed = (await c.networks.list({project}))[0].find((n) => n.name === 'a')?.peerings?.[0]?.state
      expect(listed).toBe(got)
      return got
    }
    expect(await state()).toBe('INACTIVE')
    await peer('b', 'a')
    expect(await state()).toBe('ACTIVE')
    await done((await c.networks.removePeering({project, network: 'b', networksRemovePeeringRequestResource: {name: 'b-a'}}))[0])
    expect(await state()).toBe('INACTIVE')
  })

  test('overlapping ranges are refused inside a network, across a peering, and when peering', async () => {
    await boot()
    await network('a')
    await network('b')
    await subnet('a1', 'a', '10.0.0.0/20')
    expect(await failure(subnet('a2', 'a', '10.0.8.0/24'))).toMatchObject({status: 400, reason: 'invalid'})
    await subnet('b1', 'b', '10.0.4.0/24')
    expect(await failure(peer('a', 'b'))).toMatchObject({status: 400, message: expect.stringContaining('overlaps with an IP range')})
    // Once peered, a new subnet may not collide with the peer's ranges either.
    await network('c')
    await network('d')
    await peer('c', 'd')
    await subnet('c1', 'c', '10.9.0.0/24')
    expect(await failure(subnet('d1', 'd', '10.9.0.128/25'))).toMatchObject({status: 400, message: expect.stringContaining("in peer network 'c'")})
  })

  test('a network still in use cannot be deleted: the operation fails with RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', async () => {
    await boot()
    await network('a')
    await subnet('a1', 'a', '10.0.0.0/20')
    const op = await done((await c.networks.delete({project, network: 'a'}))[0])
    expect(op.error?.errors?.[0]).toMatchObject({code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message: expect.stringContaining('subnetworks/a1')})
    expect((await c.networks.get({project, network: 'a'}))[0].name).toBe('a')
  })

  test('a stale subnet fingerprint is 412; a second peering operation while one runs is "in progress"', async () => {
    await boot()
    await network('a')
    await subnet('a1', 'a', '10.0.0.0/20')
    expect(await failure(c.subnetworks.patch({project, region: 'us-central1', subnetwork: 'a1', subnetworkResource: {fingerprint: 'stale', description: 'x'}}))).toMatchObject({status: 412, reason: 'conditionNotMet'})
    await sim.close()
    await c.close()
    sim = await startGcpSimulator({operationMs: 2_000, waitCapMs: 100})
    c = createGcpClients({kind: 'sandbox', url: sim.url})
    await c.networks.insert({project, networkResource: {name: 'x', autoCreateSubnetworks: false}})
    await c.networks.insert({project, networkResource: {name: 'y', autoCreateSubnetworks: false}})
    await c.networks.addPeering({project, network: 'x', networksAddPeeringRequestResource: {networkPeering: {name: 'x-y', network: `projects/${project}/global/networks/y`}}})
    expect(await failure(c.networks.addPeering({project, network: 'y', networksAddPeeringRequestResource: {networkPeering: {name: 'y-x', network: `projects/${project}/global/networks/x`}}}))).toMatchObject({
      status: 400,
      message: expect.stringContaining('peering operation in progress'),
      retryable: true,
    })
  })

  test('a retried insert with the same requestId returns the original operation; state survives a restart', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'mcfed-simstate-')), 'state.json')
    await boot(stateFile)
    const requestId = '3f1c2a34-1c1e-4d52-9e0b-8a2f2c1d9e11'
    const [first] = await c.networks.insert({project, requestId, networkResource: {name: 'a', autoCreateSubnetworks: false}})
    const [again] = await c.networks.insert({project, requestId, networkResource: {name: 'a', autoCreateSubnetworks: false}})
    const nameOf = (r: unknown) => (r as {latestResponse: Op}).latestResponse.name
    expect(nameOf(again)).toBe(nameOf(first))
    await sim.close()
    await c.close()
    await boot(stateFile)
    expect((await c.networks.list({project}))[0].map((n) => n.name)).toEqual(['a'])
  })

  test("mcfed's read asks the firewall list for its federation's rules only, in compute's filter syntax", async () => {
    await boot()
    await network('net')
    const rule = (name: string, description: string) =>
      c.firewalls.insert({project, firewallResource: {name, network: 'global/networks/net', description, sourceRanges: ['10.0.0.0/8'], allowed: [{IPProtocol: 'tcp'}]}}).then(([op]) => done(op))
    await rule('ours', formatMarker({federation: 'fed', cluster: 'west', rule: 'peers'}))
    await rule('legacy', formatMarker({federation: 'fed', cluster: 'west', peer: 'east'}))
    await rule('other-federation', formatMarker({federation: 'fed-2', cluster: 'west', rule: 'peers'}))
    await rule('prefix-of-ours', formatMarker({federation: 'fe', cluster: 'west', rule: 'peers'}))
    await rule('foreign', 'allow ssh')
    sim.resetCalls()
    const listing = await listGcp(c, 'fed', {clusters: project, network: project}, DEFAULT_RETRY, new Set(['firewalls']), async () => [])
    expect(listing.firewalls.map((f) => f.name).sort()).toEqual(['legacy', 'ours'])
    expect(sim.calls()).toEqual({'compute.firewalls.list': 1})

    const names = async (filter: string) => (await c.firewalls.list({project, filter}))[0].map((f) => f.name).sort()
    expect(await names('name eq ours')).toEqual(['ours'])
    expect(await names("name ne 'o.*'")).toEqual(['foreign', 'legacy', 'prefix-of-ours'])
    expect(await names('(name eq "o.*") (description ne ".*fed-2.*")')).toEqual(['ours'])
    expect(await failure(c.firewalls.list({project, filter: 'name = ours'}))).toMatchObject({status: 400})
  })
})

