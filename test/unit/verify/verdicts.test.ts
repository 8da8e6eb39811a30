import {readFileSync} from 'node:fs'

import {beforeEach, describe, expect, test} from 'vitest'

import {readMesh} from '../../../src/providers/kube/linkerd/read-mesh.js'
import {renderVerify} from '../../../src/render/verify.js'
import {parseSpec} from '../../../src/spec/parse.js'
import type {ClusterMesh} from '../../../src/verify/mesh-state.js'
import {verifyMesh} from '../../../src/verify/verdicts.js'
import {requireFixtures} from '../../support/linkerd.js'
import {recordedClient, recordedObjects, renderedControllers, renderedGateway} from '../../support/recorded-mesh.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8').replace('version: "2.18"', 'version: "2.19"\n    install: external'), {}).spec!
const NOW = Date.parse('2026-12-01T19:19:00Z')
const CLUSTERS = ['west', 'east', 'north'] as const

type Recorded = ReturnType<typeof recordedObjects> & {deployments: any[]; extension: any[]; slices?: any[]}

/** The recorded mesh with every controller's Lease held, as while the controllers ran. */
function recorded(): Record<string, Recorded> {
  return Object.fromEntries(
    CLUSTERS.map((c) => {
      const r = recordedObjects(c)
      const leases = r.leases.map((l: any) => ({...l, spec: {...l.spec, holderIdentity: `${l.metadata.name}-pod`, leaseDurationSeconds: 30, renewTime: new Date(NOW - 5_000).toISOString()}}))
      return [c, {...r, leases, deployments: renderedControllers(`multicluster-${c}.yaml`), extension: [renderedGateway(c, c === 'east' ? '192.0.2.10' : undefined)].filter(Boolean)}]
    }),
  )
}
async function verify(objects: Record<string, Recorded>) {
  const mesh: Record<string, ClusterMesh> = {}
  // Each link's credentials as a target that grants them would answer (the probe asks the target; cases below change it).
  const granted = async (links: readonly {metadata?: {name?: string}}[]) => links.map((l) => ({link: l.metadata?.name ?? '', generation: 1, access: 'ok' as const, destinationGeneration: 1}))
  for (const c of CLUSTERS) mesh[c] = await readMesh(recordedClient(objects[c]!), spec, c, granted)
  return verifyMesh(spec, mesh, NOW)
}
/** An EndpointSlice as the EndpointSlice controller writes it for a Deployment's ready pods. */
function endpointSlice(cluster: string, service: string, ready: number, notReady = 0): any {
  const base = {west: '10.100.0', east: '10.108.0', north: '10.116.0'}[cluster]
  const endpoint = (i: number, r: boolean) => ({addresses: [`${base}.${i + 10}`], conditions: {ready: r}})
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {name: `${service}-abcde`, namespace: 'mc-demo', labels: {'kubernetes.io/service-name': service}},
    addressType: 'IPv4',
    endpoints: [...Array.from({length: ready}, (_, i) => endpoint(i, true)), ...Array.from({length: notReady}, (_, i) => endpoint(ready + i, false))],
    ports: [{name: 'http', port: 8080, protocol: 'TCP'}],
  }
}
const cell = (r: Awaited<ReturnType<typeof verify>>, cluster: string, name: string) => [...r.cells, ...r.unexpected].find((c) => c.cluster === cluster && c.name === name)!

beforeEach((ctx) => requireFixtures(ctx))

describe('verify against what Linkerd’s own controllers wrote', () => {
  test('the recorded mesh is what the spec implies: every cell ok', async () => {
    const r = await verify(recorded())
    expect(r.cells.filter((c) => !c.ok)).toEqual([])
    expect(r.unexpected).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.cells.map((c) => `${c.cluster} ${c.name}`).sort()).toEqual(
      [
        'west frontend-federated', 'east frontend-federated', 'north frontend-federated',
        'west api-east', 'east api-west', 'north api-west', 'north api-east',
        'west analytics-east-gw', 'north analytics-east-gw',
      ].sort(),
    )
    expect(cell(r, 'north', 'frontend-federated').reason).toBe('3/3: north, west, east')
  })

  test('a stale or released Lease names the controller and its age', async () => {
    const o = recorded()
    o.west!.leases = o.west!.leases.map((l: any) => (l.metadata.name === 'service-mirror-write-east-gw' ? {...l, spec: {...l.spec, renewTime: new Date(NOW - 95_000).toISOString()}} : l))
    const r = await verify(o)
    const c = cell(r, 'west', 'analytics-east-gw')
    expect(c).toMatchObject({ok: false, verdict: 'controller-stopped'})
    expect(c.reason).toContain('controller-east-gw')
    expect(c.reason).toContain('last renewed 95s ago, lasts 30s')
    expect(r.ok).toBe(false)
    o.west!.leases = o.west!.leases.map((l: any) => (l.metadata.name === 'service-mirror-write-east-gw' ? {...l, spec: {...l.spec, holderIdentity: '', leaseDurationSeconds: 1}} : l))
    expect(cell(await verify(o), 'west', 'analytics-east-gw').reason).toContain('was released')
  })

  test('no controller, no Link, not mirrored, target not exported', async () => {
    const o = recorded()
    o.west!.deployments = o.west!.deployments.filter((d: any) => d.metadata.name !== 'controller-east-gw')
    o.west!.leases = o.west!.leases.filter((l: any) => l.metadata.name !== 'service-mirror-write-east-gw')
    o.north!.links = o.north!.links.filter((l) => l.metadata?.name !== 'west')
    o.west!.services = o.west!.services.filter((s: any) => s.metadata.name !== 'api-east')
    o.west!.services = o.west!.services.map((s: any) => (s.metadata.name === 'api' ? {...s, metadata: {...s.metadata, labels: {}}} : s))
    const r = await verify(o)
    expect(cell(r, 'west', 'analytics-east-gw')).toMatchObject({verdict: 'no-controller'})
    expect(cell(r, 'north', 'api-west')).toMatchObject({verdict: 'no-link', reason: 'no Link west in north'})
    expect(cell(r, 'west', 'api-east')).toMatchObject({verdict: 'not-mirrored'})
    expect(cell(r, 'east', 'api-west')).toMatchObject({verdict: 'target-missing'})
  })

  test('a federated service missing a member, or counting one cluster twice', async () => {
    const o = recorded()
    const fed = (c: Recorded, remote: string) => (c.services = c.services.map((s: any) => (s.metadata.name === 'frontend-federated' ? {...s, metadata: {...s.metadata, annotations: {...s.metadata.annotations, 'multicluster.linkerd.io/remote-discovery': remote}}} : s)))
    fed(o.north!, 'frontend@west')
    fed(o.west!, 'frontend@north,frontend@east,frontend@east-gw')
    const r = await verify(o)
    expect(cell(r, 'north', 'frontend-federated')).toMatchObject({verdict: 'members-missing', reason: '2/3: east missing'})
    expect(cell(r, 'west', 'frontend-federated')).toMatchObject({verdict: 'member-twice', reason: 'east counted twice (frontend@east, frontend@east-gw)'})
  })

  test('gateway mirrors: endpoints must be at the target gateway on 4143 when the target has ready ones', async () => {
    const o = recorded()
    const ep = (addresses: string[], port: number) => ({metadata: {name: 'analytics', namespace: 'mc-demo'}, subsets: [{addresses: addresses.map((ip) => ({ip})), ports: [{port}]}]})
    o.east!.endpoints = [...o.east!.endpoints, ep(['10.108.0.5'], 8080)]
    expect(cell(await verify(o), 'west', 'analytics-east-gw')).toMatchObject({verdict: 'no-endpoints'})
    const mirrorEp = (ip: string, port: number) => ({...ep([ip], port), metadata: {name: 'analytics-east-gw', namespace: 'mc-demo', labels: {'mirror.linkerd.io/mirrored-service': 'true', 'mirror.linkerd.io/cluster-name': 'east-gw'}}})
    o.west!.endpoints = [mirrorEp('192.0.2.99', 4143)]
    expect(cell(await verify(o), 'west', 'analytics-east-gw')).toMatchObject({verdict: 'wrong-endpoints', reason: 'endpoints at 192.0.2.99:4143, not at the gateway of east (192.0.2.10:4143)'})
    o.west!.endpoints = [mirrorEp('192.0.2.10', 4143)]
    expect(cell(await verify(o), 'west', 'analytics-east-gw')).toMatchObject({ok: true, reason: 'through the gateway of east at 192.0.2.10:4143'})
  })

  test('ready endpoints per member from EndpointSlices, and each cluster’s share of a federated service', async () => {
    const o = recorded()
    const run = (c: 'west' | 'east' | 'north', app: Record<string, number>) => {
      o[c]!.slices = Object.entries(app).map(([svc, n]) => endpointSlice(c, svc, n))
    }
    run('west', {frontend: 3, api: 2})
    run('east', {frontend: 3, api: 2, analytics: 1})
    run('north', {frontend: 3})
    let r = await verify(o)
    expect(cell(r, 'west', 'frontend-federated')).toMatchObject({ok: true, endpoints: {east: 3, north: 3, west: 3}, shares: {east: 0.3333, north: 0.3333, west: 0.3333}})
    expect(cell(r, 'north', 'api-east')).toMatchObject({ok: true, endpoints: {east: 2}})
    expect(cell(r, 'west', 'analytics-east-gw')).toMatchObject({endpoints: {east: 1}})

    // east lost: the federated service keeps west and north, the mirrors of east's services have nothing behind them.
    run('east', {frontend: 0, api: 0, analytics: 0})
    r = await verify(o)
    expect(cell(r, 'north', 'frontend-federated')).toMatchObject({endpoints: {east: 0, north: 3, west: 3}, shares: {east: 0, north: 0.5, west: 0.5}})
    expect(cell(r, 'west', 'api-east')).toMatchObject({endpoints: {east: 0}})
    expect(cell(r, 'west', 'analytics-east-gw')).toMatchObject({endpoints: {east: 0}, mirror_ready: 0})

    // Restored to 1 instead of 3: east is under-weighted, a seventh of the traffic.
    run('east', {frontend: 1, api: 2, analytics: 1})
    expect(cell(await verify(o), 'west', 'frontend-federated').shares).toEqual({east: 0.1429, north: 0.4286, west: 0.4286})
    expect(JSON.parse(renderVerify(await verify(o), 'json', {color: false, spec})).cells.find((c: any) => c.cluster === 'west' && c.name === 'frontend-federated').endpoints).toEqual({east: 1, north: 3, west: 3})
  })

  test('unexpected mirrors: a service the spec does not export that way, a deleted link’s leftovers', async () => {
    const o = recorded()
    const mirror = (name: string, link: string) => ({metadata: {name, namespace: 'mc-demo', labels: {'mirror.linkerd.io/mirrored-service': 'true', 'mirror.linkerd.io/cluster-name': link}}})
    o.west!.services = [...o.west!.services, mirror('api-east-gw', 'east-gw'), mirror('api-south', 'south')]
    const r = await verify(o)
    expect(r.unexpected.map((c) => [c.name, c.reason])).toEqual([
      ['api-east-gw', 'mc-demo/api is mirrored through east-gw, but the spec does not export it that way'],
      ['api-south', 'left behind by link south, which no longer exists'],
    ])
    expect(r.ok).toBe(false)
  })

  test('formats: text, versioned JSON, markdown matrix, mermaid graph with broken links marked', async () => {
    const o = recorded()
    o.west!.leases = o.west!.leases.filter((l: any) => l.metadata.name !== 'service-mirror-write-east-gw')
    const r = await verify(o)
    const text = renderVerify(r, 'text', {color: false, spec})
    expect(text).toMatch(/^mc-demo\/analytics\s+gateway\s+west\s+analytics-east-gw\s+controller-stopped$/m)
    expect(text).toContain('8 ok, 1 broken, 0 unexpected; 1 of 8 links not served.')
    expect(text).toMatch(/^west → east-gw\s+gateway\s+1\s+-\s+controller-stopped$/m)
    expect(JSON.parse(renderVerify(r, 'json', {color: false, spec})).format_version).toBe('1.3')
    const md = renderVerify(r, 'markdown', {color: false, spec})
    expect(md).toContain('| `mc-demo/analytics` | gateway | west | `analytics-east-gw` | ❌ controller-stopped |')
    const mermaid = renderVerify(r, 'mermaid', {color: false, spec})
    expect(mermaid).toContain('c_west -.->|"gateway: east-gw ✗ controller-stopped"| c_east')
    expect(mermaid).toContain('c_west -->|"flat: east"| c_east')
    expect(mermaid).toMatch(/linkStyle \d+ stroke:#d33/)
  })

  test("a link whose credentials its target refuses, or grants too little, is named with its generation, though its Secret holds a token", async () => {
    const o = recorded()
    const mesh: Record<string, ClusterMesh> = {}
    for (const c of CLUSTERS) mesh[c] = await readMesh(recordedClient(o[c]!), spec, c, async (links) => links.map((l) => ({link: l.metadata?.name ?? '', generation: 4, access: 'ok' as const, destinationGeneration: 4})))
    const patched = (cluster: string, link: string, change: object) => ({...mesh, [cluster]: {...mesh[cluster]!, credentials: mesh[cluster]!.credentials.map((c) => (c.link === link ? {...c, ...change} : c))}})
    const refused = verifyMesh(spec, patched('north', 'west', {access: 'refused', detail: 'revoked'}), NOW)
    expect(refused.links.find((l) => l.consumer === 'north' && l.link === 'west')).toMatchObject({ok: false, verdict: 'credentials-refused', generation: 4, reason: 'west refuses the credentials Link west in north names (generation 4): revoked'})
    expect(cell(refused, 'north', 'api-west')).toMatchObject({ok: false, verdict: 'credentials-refused'})
    expect(refused.ok).toBe(false)
    const denied = verifyMesh(spec, patched('west', 'east', {access: 'denied', detail: 'may not list services there'}), NOW)
    expect(denied.links.find((l) => l.consumer === 'west' && l.link === 'east')?.reason).toBe('the credentials Link east in west names (generation 4) may not list services there in east: its remote access was cut')
    // The destination controller still on the previous generation: a renewal that did not restart it.
    const stale = verifyMesh(spec, patched('east', 'north', {destinationGeneration: 3}), NOW)
    expect(stale.links.find((l) => l.consumer === 'east' && l.link === 'north')).toMatchObject({ok: false, verdict: 'destination-stale'})
    expect(stale.summary.links_broken).toBe(1)
  })

  test("a change to the target's canary that does not reach the consumer's mirror: the link is stale, with when it last came through", async () => {
    const o = recorded()
    const mesh: Record<string, ClusterMesh> = {}
    for (const c of CLUSTERS) mesh[c] = await readMesh(recordedClient(o[c]!), spec, c, async (links) => links.map((l) => ({link: l.metadata?.name ?? '', generation: 1, access: 'ok' as const, destinationGeneration: 1})))
    const canary = (value: string) => ({namespace: 'linkerd-multicluster', name: 'mcfed-canary', labels: {'mirror.linkerd.io/exported': 'remote-discovery', 'mcfed.io/canary': 'true'}, canary: value})
    const mirror = (link: string, value: string) => ({namespace: 'linkerd-multicluster', name: `mcfed-canary-${link}`, link, remoteMembers: [], canary: value})
    const withCanaries = {
      ...mesh,
      east: {...mesh.east!, exported: [...mesh.east!.exported, canary('2027-01-01T00:05:00.000Z')]},
      west: {...mesh.west!, mirrors: [...mesh.west!.mirrors, mirror('east', '2027-01-01T00:05:00.000Z')]},
      north: {...mesh.north!, mirrors: [...mesh.north!.mirrors, mirror('east', '2027-01-01T00:01:00.000Z')]},
    }
    const r = verifyMesh(spec, withCanaries, NOW)
    expect(r.links.find((l) => l.consumer === 'west' && l.link === 'east')).toMatchObject({ok: true, last_confirmed: '2027-01-01T00:05:00.000Z'})
    expect(r.links.find((l) => l.consumer === 'north' && l.link === 'east')).toMatchObject({
      ok: false,
      verdict: 'link-stale',
      last_confirmed: '2027-01-01T00:01:00.000Z',
      reason: 'a change to the canary of east (2027-01-01T00:05:00.000Z) has not reached north, whose mirror shows 2027-01-01T00:01:00.000Z: the east controller there cannot read east, or has stopped watching it',
    })
    // Canary mirrors are the links' own check: never an unexpected mirror.
    expect(r.unexpected.map((c) => c.name)).toEqual([])
    const gone = verifyMesh(spec, {...withCanaries, west: mesh.west!}, NOW)
    expect(gone.links.find((l) => l.consumer === 'west' && l.link === 'east')).toMatchObject({ok: false, verdict: 'link-stale'})
  })
})
