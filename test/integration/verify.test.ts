import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {STATUS_FILE, type ControllerStatus} from '../../src/sandbox/linkerd/controllers.js'
import {parseSpec} from '../../src/spec/parse.js'
import {mcfedAsync, startMcfed} from '../support/cli.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {linkedMesh} from '../support/linked-mesh.js'
import {installMulticluster, type MeshClusters} from '../support/mesh-clusters.js'
import {until} from '../support/until.js'

/**
 * `mcfed verify` against Linkerd's own 2.19 controllers, running for the pods of an externally
 * installed Linkerd: what they mirror once mcfed wrote the Links, what happens when one of them
 * stops (its Deployment scaled to zero, as an operator or a bad rollout would), and comes back.
 * The verdicts on hand-made states of the mesh are unit tests (test/unit/verify).
 */
const linkerd = linkerdBinaries(L219)
let mesh: MeshClusters
let work: string
let spec: string
const verify = (...args: string[]) => mcfedAsync(['verify', '-f', spec, '--no-color', ...args], {KUBECONFIG: mesh.kubeconfig})
const leaseHolder = async (cluster: string, lease: string) => (await mesh.kubectl(cluster, 'get', 'lease', '-n', 'linkerd-multicluster', lease, '-o', 'jsonpath={.spec.holderIdentity}')).trim()
const scale = (cluster: string, deployment: string, replicas: number) => mesh.kubectl(cluster, 'scale', 'deployment', '-n', 'linkerd-multicluster', deployment, `--replicas=${replicas}`)

beforeAll(async () => {
  if (!linkerd.ok || !linkerd.cli) return
  ;({mesh, work, spec} = await linkedMesh(inject('kubeBin'), 'verify', {cli: linkerd.cli}))
}, 900_000)

afterAll(async () => {
  await mesh?.stop()
})

beforeEach((ctx) => void requireLinkerd(ctx, L219))

describe("mcfed verify with Linkerd's own controllers running", () => {
  test('what the controllers mirrored is what the spec implies: exit 0, every cell ok', {timeout: 120_000}, async () => {
    const r = await verify()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^mc-demo\/analytics\s+gateway\s+west\s+analytics-east-gw\s+ok$/m)
    expect(r.stdout).toMatch(/^mc-demo\/frontend\s+federated\s+north\s+frontend-federated\s+ok$/m)
    expect(r.stdout).toContain('The mesh works as the spec implies: 9 ok, 0 broken, 0 unexpected.')
    const json = JSON.parse((await verify('--json')).stdout)
    expect(json).toMatchObject({format_version: '1.3', ok: true, summary: {ok: 9, broken: 0, unexpected: 0, links_broken: 0}})
    expect(r.stdout + JSON.stringify(json)).not.toMatch(/eyJ[\w-]{20,}/)
  })

  test('a controller scaled to zero releases its Lease: verify names the mirror, the cluster and the controller, and is green once it is back', {timeout: 180_000}, async () => {
    await scale('west', 'controller-east-gw', 0)
    // Stopped with SIGTERM, Linkerd's controller gives its Lease up at once.
    await until('the east-gw controller in west let its Lease go', async () => (await leaseHolder('west', 'service-mirror-write-east-gw')) === '')
    const r = await verify()
    expect(r.code, r.stdout).toBe(2)
    expect(r.stdout).toMatch(/^mc-demo\/analytics\s+gateway\s+west\s+analytics-east-gw\s+controller-stopped$/m)
    expect(r.stdout).toMatch(/the east-gw controller \(controller-east-gw\) in west is not running: its Lease service-mirror-write-east-gw was released/)
    const md = (await verify('--format', 'markdown')).stdout
    expect(md).toContain('| `mc-demo/analytics` | gateway | west | `analytics-east-gw` | ❌ controller-stopped |')
    expect((await verify('--format', 'mermaid')).stdout).toContain('c_west -.->|"gateway: east-gw ✗ controller-stopped"| c_east')

    await scale('west', 'controller-east-gw', 1)
    const back = await verify('--wait', '90s')
    expect(back.code, back.stdout + back.stderr).toBe(0)
  })

  test("a controller whose pod is gone before it has stopped still gives its Lease up: its token lives until then, as a kubelet's does", {timeout: 180_000}, async () => {
    // KWOK removes a deleted pod at once; a kubelet keeps it until its containers have stopped.
    // The process is frozen first, past the 10 s the API server trusts a token it has checked once
    // (TokenSuccessCacheTTL), and until its pod is gone: the token is checked anew when it handles
    // its SIGTERM, and one bound to the pod would then be refused.
    const cluster = mesh.clusters.find((c) => c.name === 'east')!
    const statuses = JSON.parse(readFileSync(join(cluster.dataDir, 'linkerd', STATUS_FILE), 'utf8')) as ControllerStatus[]
    const controller = statuses.find((s) => s.namespace === 'linkerd-multicluster' && s.pod.startsWith('controller-west-') && s.pid)
    if (!controller) throw new Error(`the west controller does not run in east: ${JSON.stringify(statuses)}`)
    process.kill(controller.pid!, 'SIGSTOP')
    try {
      await new Promise((r) => setTimeout(r, 10_500))
      await scale('east', 'controller-west', 0)
      // Within the sandbox's grace (at most 10 s after its SIGTERM), or it is killed.
      await until('the pod is gone', async () => !(await mesh.kubectl('east', 'get', 'pods', '-n', 'linkerd-multicluster', '-o', 'name')).includes(controller.pod), 5_000)
    } finally {
      process.kill(controller.pid!, 'SIGCONT')
    }
    await until('the west controller in east let its Lease go', async () => (await leaseHolder('east', 'service-mirror-write-west')) === '', 30_000)
    await scale('east', 'controller-west', 1)
    expect((await verify('--wait', '90s')).code).toBe(0)
  })

  test('--wait re-reads until the mesh converges', {timeout: 180_000}, async () => {
    await scale('north', 'controller-west', 0)
    await until('the west controller in north let its Lease go', async () => (await leaseHolder('north', 'service-mirror-write-west')) === '')
    const run = startMcfed(['verify', '-f', spec, '--no-color', '--wait', '120s'], {KUBECONFIG: mesh.kubeconfig})
    let stderr = ''
    run.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    // Rounds in which another link's canary is still on its way are not reported, so on a slow
    // machine the first report may be of a later round than the first.
    await until('verify reports a round', async () => /round \d+: \d+ broken/.test(stderr), 90_000).catch((e: Error) => {
      throw new Error(`${e.message}; stderr: ${stderr}`)
    })
    await scale('north', 'controller-west', 1)
    const r = await run.result
    expect(r.code, r.stdout + r.stderr).toBe(0)
  })

  test('a deleted controller: the Link it served mirrors nothing, verify says no-controller; the installer restores it', {timeout: 180_000}, async () => {
    await mesh.kubectl('north', 'delete', 'deployment', '-n', 'linkerd-multicluster', 'controller-west')
    const r = await verify()
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/^mc-demo\/api\s+flat\s+north\s+api-west\s+no-controller$/m)
    await installMulticluster(mesh, {cli: linkerd.ok ? linkerd.cli! : '', spec: parseSpec(spec, readFileSync(spec, 'utf8'), {}).spec!}, 'north')
    expect((await verify('--wait', '90s')).code).toBe(0)
  })

  test("every link is checked end to end: the target's canary comes through to each consumer's mirror, and the JSON says when", {timeout: 120_000}, async () => {
    const r = await verify('--json')
    const report = JSON.parse(r.stdout) as {ok: boolean; links: {consumer: string; link: string; ok: boolean; generation: number; last_confirmed?: string}[]}
    expect(r.code, r.stdout).toBe(0)
    expect(report.links).toHaveLength(8)
    for (const l of report.links) expect(l, `${l.consumer}/${l.link}`).toMatchObject({ok: true, generation: 1, last_confirmed: expect.stringMatching(/^20\d\d-/)})
    // Read-only: nothing written, each link judged by the last change that came through.
    const before = (await mesh.kubectl('east', 'get', 'svc', '-n', 'linkerd-multicluster', 'mcfed-canary', '-o', 'jsonpath={.metadata.annotations.mcfed\\.io/canary}')).trim()
    const ro = JSON.parse((await verify('--read-only', '--json')).stdout) as typeof report
    expect(ro.ok).toBe(true)
    expect((await mesh.kubectl('east', 'get', 'svc', '-n', 'linkerd-multicluster', 'mcfed-canary', '-o', 'jsonpath={.metadata.annotations.mcfed\\.io/canary}')).trim()).toBe(before)
  })

  test("a link whose access is cut on its target is named, though its Secret still holds a valid token: denied, then refused", {timeout: 180_000}, async () => {
    // The binding of north's link west on west goes: the token still authenticates, but may not read.
    await mesh.kubectl('west', 'delete', 'clusterrolebinding', 'mcfed-link-north-west')
    const denied = await verify()
    expect(denied.code, denied.stdout).toBe(2)
    expect(denied.stdout).toMatch(/^north → west\s+flat\s+1\s+\S+\s+access-denied$/m)
    expect(denied.stdout).toContain('the credentials Link west in north names (generation 1) may not list services there in west: its remote access was cut')
    expect(denied.stdout).toMatch(/^mc-demo\/api\s+flat\s+north\s+api-west\s+access-denied$/m)
    // The Secret its token is bound to goes too: the token itself is refused.
    await mesh.kubectl('west', 'delete', 'secret', '-n', 'linkerd-multicluster', 'mcfed-link-north-west-g1')
    await until('the revoked token is refused', async () => (await verify()).stdout.includes('credentials-refused'), 60_000)
    const refused = await verify()
    expect(refused.stdout).toContain('west refuses the credentials Link west in north names (generation 1): revoked')
    // Apply repairs the access and moves the link to a new generation; verify is green again.
    const env = {KUBECONFIG: mesh.kubeconfig}
    const applied = await mcfedAsync(['apply', '-f', spec, '--auto-approve', '--layer', 'kube', '--no-color'], env)
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(applied.stdout).toContain('linkerd_link_credential.north/west/g2: Creation complete')
    expect((await verify('--wait', '90s')).code).toBe(0)
  })

  test('an unreachable cluster is an error that names it', {timeout: 60_000}, async () => {
    const broken = join(work, 'broken.yaml')
    writeFileSync(broken, readFileSync(spec, 'utf8').replace('kubeContext: north', 'kubeContext: nowhere'))
    const r = await mcfedAsync(['verify', '-f', broken, '--no-color'], {KUBECONFIG: mesh.kubeconfig})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('north is unreachable')
  })
})
