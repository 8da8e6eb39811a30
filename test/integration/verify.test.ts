import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {stringify} from 'yaml'
import {afterAll, beforeAll, describe, expect, inject, test} from 'vitest'

import {mcfedAsync, startMcfed} from '../support/cli.js'
import {installLinkerdFromRenders, startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'
import {creatable, heldLease, recordedObjects} from '../support/recorded-mesh.js'
import {until} from '../support/until.js'

/**
 * `mcfed verify` on real API servers holding the mesh Linkerd's own 2.19 controllers made: the
 * recorded mirrors, federated services and Leases are created in the clusters, after mcfed wrote
 * the Links. The test stands in for the running controllers by holding their Leases.
 */
let mesh: MeshClusters
let work: string
let spec: string
const CLUSTERS = ['west', 'east', 'north'] as const
const verify = (...args: string[]) => mcfedAsync(['verify', '-f', spec, '--no-color', ...args], {KUBECONFIG: mesh.kubeconfig})

async function applyObjects(cluster: string, objects: any[]): Promise<void> {
  if (objects.length === 0) return
  const file = join(work, `${cluster}-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'))
  await mesh.kubectl(cluster, 'apply', '--server-side', '--force-conflicts', '-f', file)
}
/** Holds (or lets go stale) a controller's Lease, as a running (or stopped) controller would. */
async function lease(cluster: string, name: string, renewedAgoMs: number): Promise<void> {
  await applyObjects(cluster, [heldLease(name, renewedAgoMs, 300)])
}
async function holdAllLeases(): Promise<void> {
  for (const c of CLUSTERS) for (const l of recordedObjects(c).leases) await lease(c, l.metadata.name, 0)
}

beforeAll(async () => {
  mesh = await startMeshClusters(inject('kubeBin'), 'verify')
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  await installLinkerdFromRenders(mesh, 'edge-25.10.7')
  await Promise.all(CLUSTERS.map((c) => mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')))
  spec = join(work, 'federation.yaml')
  writeFileSync(
    spec,
    readFileSync('examples/three-region/federation.yaml', 'utf8')
      .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
      .replace('version: "2.18"', 'version: "2.19"\n    install: external'),
  )
  const env = {KUBECONFIG: mesh.kubeconfig}
  expect((await mcfedAsync(['certs', 'init', '-f', spec], env)).code).toBe(0)
  const applied = await mcfedAsync(['apply', '-f', spec, '--auto-approve', '--layer', 'kube'], env)
  expect(applied.code, applied.stdout + applied.stderr).toBe(0)
  // What the controllers made: mirrors and federated services with their Endpoints.
  for (const c of CLUSTERS) {
    const r = recordedObjects(c)
    await applyObjects(c, r.services.filter((s: any) => s.metadata.labels?.['mirror.linkerd.io/mirrored-service'] === 'true').map(creatable))
    await applyObjects(c, r.endpoints.map(creatable))
  }
}, 600_000)

afterAll(async () => {
  await mesh?.stop()
})

describe('mcfed verify on the sandbox', () => {
  test('the recorded mesh with running controllers: exit 0, every cell ok', {timeout: 120_000}, async () => {
    await holdAllLeases()
    const r = await verify()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^mc-demo\/analytics\s+gateway\s+west\s+analytics-east-gw\s+ok$/m)
    expect(r.stdout).toMatch(/^mc-demo\/frontend\s+federated\s+north\s+frontend-federated\s+ok$/m)
    expect(r.stdout).toContain('The mesh works as the spec implies: 9 ok, 0 broken, 0 unexpected.')
    const json = JSON.parse((await verify('--json')).stdout)
    expect(json).toMatchObject({format_version: '1.0', ok: true, summary: {ok: 9, broken: 0, unexpected: 0}})
    expect(r.stdout + JSON.stringify(json)).not.toMatch(/eyJ[\w-]{20,}/)
  })

  test("a stopped controller: its Lease goes stale and verify names the mirror, the cluster and the controller", {timeout: 120_000}, async () => {
    await lease('west', 'service-mirror-write-east-gw', 400_000)
    const r = await verify()
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/^mc-demo\/analytics\s+gateway\s+west\s+analytics-east-gw\s+controller-stopped$/m)
    expect(r.stdout).toMatch(/the east-gw controller \(controller-east-gw\) in west is not running: its Lease service-mirror-write-east-gw is stale \(last renewed 4\d\ds ago, lasts 300s\)/)
    const md = (await verify('--format', 'markdown')).stdout
    expect(md).toContain('| `mc-demo/analytics` | gateway | west | `analytics-east-gw` | ❌ controller-stopped |')
    expect((await verify('--format', 'mermaid')).stdout).toContain('c_west -.->|"gateway: east-gw ✗ controller-stopped"| c_east')
  })

  test('--wait re-reads until the mesh converges', {timeout: 120_000}, async () => {
    const run = startMcfed(['verify', '-f', spec, '--no-color', '--wait', '90s'], {KUBECONFIG: mesh.kubeconfig})
    let stderr = ''
    run.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    await until('verify reports a round', async () => stderr.includes('round 1: 1 broken'), 60_000)
    await lease('west', 'service-mirror-write-east-gw', 0)
    const r = await run.result
    expect(r.code, r.stdout + r.stderr).toBe(0)
  })

  test('a federated service that counts one cluster twice, and an unexpected mirror', {timeout: 120_000}, async () => {
    await mesh.kubectl('west', 'annotate', '--overwrite', 'svc', '-n', 'mc-demo', 'frontend-federated', 'multicluster.linkerd.io/remote-discovery=frontend@north,frontend@east,frontend@east-gw')
    await applyObjects('west', [{apiVersion: 'v1', kind: 'Service', metadata: {name: 'api-east-gw', namespace: 'mc-demo', labels: {'mirror.linkerd.io/mirrored-service': 'true', 'mirror.linkerd.io/cluster-name': 'east-gw'}}, spec: {ports: [{port: 8080}]}}])
    const r = await verify()
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('east counted twice (frontend@east, frontend@east-gw)')
    expect(r.stdout).toContain('mc-demo/api is mirrored through east-gw, but the spec does not export it that way')
    expect(r.stdout).toContain('8 ok, 1 broken, 1 unexpected.')
  })

  test('no controller, not mirrored, target not exported, a member missing, gateway endpoints missing or elsewhere, a deleted link\'s leftover', {timeout: 180_000}, async () => {
    const row = (out: string, cluster: string, name: string) => new RegExp(`^\\S+\\s+\\S+\\s+${cluster}\\s+${name}\\s+(\\S+)$`, 'm').exec(out)?.[1]
    await mesh.kubectl('north', 'delete', 'deployment', '-n', 'linkerd-multicluster', 'controller-west')
    await mesh.kubectl('north', 'delete', 'lease', '-n', 'linkerd-multicluster', 'service-mirror-write-west')
    await mesh.kubectl('west', 'delete', 'svc', '-n', 'mc-demo', 'api-east')
    await mesh.kubectl('west', 'label', 'svc', '-n', 'mc-demo', 'api', 'mirror.linkerd.io/exported-')
    await mesh.kubectl('north', 'annotate', '--overwrite', 'svc', '-n', 'mc-demo', 'frontend-federated', 'multicluster.linkerd.io/remote-discovery=frontend@west')
    // east's analytics gets ready endpoints of its own (selector-less, so no controller rewrites them).
    await mesh.kubectl('east', 'patch', 'svc', '-n', 'mc-demo', 'analytics', '--type=json', '-p', '[{"op":"remove","path":"/spec/selector"}]')
    await applyObjects('east', [{apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'analytics', namespace: 'mc-demo'}, subsets: [{addresses: [{ip: '10.108.0.5'}], ports: [{port: 8080}]}]}])
    await applyObjects('north', [{apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'analytics-east-gw', namespace: 'mc-demo', labels: {'mirror.linkerd.io/mirrored-service': 'true', 'mirror.linkerd.io/cluster-name': 'east-gw'}}, subsets: [{addresses: [{ip: '192.0.2.99'}], ports: [{port: 4143}]}]}])
    await applyObjects('west', [{apiVersion: 'v1', kind: 'Service', metadata: {name: 'api-south', namespace: 'mc-demo', labels: {'mirror.linkerd.io/mirrored-service': 'true', 'mirror.linkerd.io/cluster-name': 'south'}}, spec: {ports: [{port: 8080}]}}])
    const r = await verify()
    expect(r.code).toBe(2)
    expect(row(r.stdout, 'north', 'api-west')).toBe('no-controller')
    expect(row(r.stdout, 'west', 'api-east')).toBe('not-mirrored')
    expect(row(r.stdout, 'east', 'api-west')).toBe('target-missing')
    expect(row(r.stdout, 'north', 'frontend-federated')).toBe('members-missing')
    expect(r.stdout).toContain('2/3: east missing')
    expect(row(r.stdout, 'west', 'analytics-east-gw')).toBe('no-endpoints')
    expect(row(r.stdout, 'north', 'analytics-east-gw')).toBe('wrong-endpoints')
    expect(r.stdout).toMatch(/endpoints at 192\.0\.2\.99:4143, not at the gateway of east \(192\.0\.2\.\d+:4143\)/)
    expect(r.stdout).toContain('left behind by link south, which no longer exists')
  })

  test('an unreachable cluster is an error that names it', {timeout: 60_000}, async () => {
    const broken = join(work, 'broken.yaml')
    writeFileSync(broken, readFileSync(spec, 'utf8').replace('kubeContext: north', 'kubeContext: nowhere'))
    const r = await mcfedAsync(['verify', '-f', broken, '--no-color'], {KUBECONFIG: mesh.kubeconfig})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('north is unreachable')
  })
})
