import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {mcfedAsync, startMcfed} from '../support/cli.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {linkedMesh} from '../support/linked-mesh.js'
import type {MeshClusters} from '../support/mesh-clusters.js'
import {until} from '../support/until.js'

/**
 * `mcfed drill cluster-loss` on three API servers whose pods run (KWOK) and whose Linkerd
 * controllers are Linkerd's own 2.19 ones: the demo app as Deployments, east taken down and
 * brought back, a drill interrupted by SIGINT (it restores before exiting) and one killed
 * outright (`mcfed drill restore` puts the recorded counts back).
 */
const linkerd = linkerdBinaries(L219)
let mesh: MeshClusters
let spec: string
const env = () => ({KUBECONFIG: mesh.kubeconfig})
const drill = (...args: string[]) => mcfedAsync(['drill', ...args, '-f', spec, '--no-color'], env())
const replicas = async (cluster: string, name: string) => Number((await mesh.kubectl(cluster, 'get', 'deployment', '-n', 'mc-demo', name, '-o', 'jsonpath={.spec.replicas}')).trim())
const ready = async (cluster: string, name: string) => Number((await mesh.kubectl(cluster, 'get', 'deployment', '-n', 'mc-demo', name, '-o', 'jsonpath={.status.readyReplicas}')).trim() || '0')
const record = async (cluster: string) => (await mesh.kubectl(cluster, 'get', 'configmap', '-n', 'default', '-l', 'mcfed.io/drill', '-o', 'name')).trim()
const EAST = {frontend: 3, api: 2, analytics: 1}

async function eastAsDeployed(): Promise<void> {
  for (const [name, n] of Object.entries(EAST)) {
    expect(await replicas('east', name)).toBe(n)
    await until(`east ${name} ${n}/${n} ready`, async () => (await ready('east', name)) === n, 120_000)
  }
  expect(await record('east')).toBe('')
}

beforeAll(async () => {
  if (!linkerd.ok || !linkerd.cli) return
  ;({mesh, spec} = await linkedMesh(inject('kubeBin'), 'drill', {cli: linkerd.cli, workloads: true}))
  await eastAsDeployed()
}, 900_000)

afterAll(async () => {
  await mesh?.stop()
})

beforeEach((ctx) => void requireLinkerd(ctx, L219))

describe('mcfed drill cluster-loss with Linkerd’s own controllers mirroring', () => {
  test('verify counts what the EndpointSlice controller lists: 3/3/3 for frontend, a third each', {timeout: 120_000}, async () => {
    const r = await mcfedAsync(['verify', '-f', spec, '--json', '--wait', '60s'], env())
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const cells = JSON.parse(r.stdout).cells as {cluster: string; name: string; endpoints?: Record<string, number>; shares?: Record<string, number>}[]
    expect(cells.find((c) => c.cluster === 'north' && c.name === 'frontend-federated')).toMatchObject({endpoints: {east: 3, north: 3, west: 3}, shares: {east: 0.3333, north: 0.3333, west: 0.3333}})
    expect(cells.find((c) => c.cluster === 'west' && c.name === 'api-east')).toMatchObject({endpoints: {east: 2}})
  })

  test('east lost: frontend 9 → 6 ready endpoints, west and north 50/50, api-east and analytics-east-gw with none; restored to 3, not 1; exit 0', {timeout: 300_000}, async () => {
    const dry = await drill('cluster-loss', '--cluster', 'east', '--dry-run')
    expect(dry.code, dry.stdout + dry.stderr).toBe(0)
    expect(dry.stdout).toContain('Would scale to 0 in east')
    expect(await replicas('east', 'frontend')).toBe(3)

    const r = await drill('cluster-loss', '--cluster', 'east', '--hold', '20s', '--json')
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({ok: true, cluster: 'east', problems: []})
    expect(report.deployments).toEqual([
      {namespace: 'mc-demo', name: 'analytics', replicas: 1},
      {namespace: 'mc-demo', name: 'api', replicas: 2},
      {namespace: 'mc-demo', name: 'frontend', replicas: 3},
    ])
    const fromWest = (phase: string) => report.phases[phase].federated.find((f: any) => f.consumer === 'west')
    expect(fromWest('before')).toMatchObject({endpoints: {east: 3, north: 3, west: 3}})
    expect(fromWest('during')).toMatchObject({endpoints: {east: 0, north: 3, west: 3}, shares: {east: 0, north: 0.5, west: 0.5}})
    expect(fromWest('after')).toMatchObject({endpoints: {east: 3, north: 3, west: 3}})
    expect(report.expected_failures.map((f: any) => `${f.cluster} ${f.name}`).sort()).toEqual(['north analytics-east-gw', 'north api-east', 'west analytics-east-gw', 'west api-east'])
    const gwDuring = report.phases.during.mirrors.find((m: any) => m.consumer === 'west' && m.name === 'analytics-east-gw')
    expect(gwDuring).toMatchObject({endpoints: {east: 0}, mirror_ready: 0})
    expect(report.loss_seconds).toBeGreaterThanOrEqual(0)
    await eastAsDeployed()

    const md = await drill('cluster-loss', '--cluster', 'north', '--hold', '5s', '--format', 'markdown')
    expect(md.code, md.stdout + md.stderr).toBe(0)
    expect(md.stdout).toContain('### mcfed drill: loss of `north`')
    expect(md.stdout).toMatch(/\| `frontend` \| [a-z, ]+ \| east 3 \(33%\), north 3 \(33%\), west 3 \(33%\) = 9 \| east 3 \(50%\), north 0 \(0%\), west 3 \(50%\) = 6 \|/)
  })

  test('SIGINT mid-way restores before exiting; a drill killed outright is restored by `mcfed drill restore`', {timeout: 300_000}, async () => {
    const interrupted = startMcfed(['drill', 'cluster-loss', '--cluster', 'east', '--hold', '5m', '-f', spec, '--no-color'], env())
    await until('the drill scaled east frontend to 0', async () => (await replicas('east', 'frontend')) === 0, 120_000)
    interrupted.child.kill('SIGINT')
    const i = await interrupted.result
    expect(i.code, i.stdout + i.stderr).toBe(1)
    expect(i.stdout).toContain('Interrupted by SIGINT')
    await eastAsDeployed()

    const killed = startMcfed(['drill', 'cluster-loss', '--cluster', 'east', '--hold', '5m', '-f', spec, '--no-color'], env())
    await until('the drill scaled east api to 0', async () => (await replicas('east', 'api')) === 0, 120_000)
    killed.child.kill('SIGKILL')
    await killed.result
    expect(await record('east')).toBe('configmap/mcfed-drill-mc-demo')
    expect(await replicas('east', 'frontend')).toBe(0)

    const restored = await drill('restore')
    expect(restored.code, restored.stdout + restored.stderr).toBe(0)
    expect(restored.stdout).toContain('Restored east')
    await eastAsDeployed()
    expect((await drill('restore')).stdout).toContain('nothing to restore')
  })
})
