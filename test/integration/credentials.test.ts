import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {mcfedAsync, type CliResult} from '../support/cli.js'
import {refusalsIn} from '../support/controller-logs.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'
import {SEED_MIRRORS, mirrorsOf, waitForMirrors} from '../support/mirrors.js'
import {until} from '../support/until.js'

/**
 * Link credentials over time, against Linkerd's own 2.19 controllers (installed by mcfed, run for
 * their pods): ten-minute tokens renewed by an apply every ninety seconds, through the first
 * tokens' expiry and past it. After every renewal the Link names the new generation, the
 * destination controller was rolled (a new pod read the new copy), the replaced token is refused
 * by its target and the new one has the remote-access rights and no more. After the first tokens
 * expired, a service exported then is still mirrored everywhere, and no controller's log shows a
 * target refusing it.
 */
const run = promisify(execFile)
const linkerd = linkerdBinaries(L219)
const CLUSTERS = ['west', 'east', 'north'] as const
const LINKS = [
  ['west', 'east'],
  ['west', 'east-gw'],
  ['west', 'north'],
  ['east', 'north'],
  ['east', 'west'],
  ['north', 'east'],
  ['north', 'east-gw'],
  ['north', 'west'],
] as const
let mesh: MeshClusters
let work: string
let spec: string
const outputs: string[] = []

async function mcfed(...args: string[]): Promise<CliResult> {
  const r = await mcfedAsync(args, {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: linkerd.ok ? linkerd.cli ?? '' : ''})
  outputs.push(r.stdout, r.stderr)
  return r
}
const json = async (cluster: string, ...args: string[]) => JSON.parse(await mesh.kubectl(cluster, 'get', ...args, '-o', 'json'))
/** The generation a consumer's Link names, and the kubeconfig of its Secret. */
async function named(consumer: string, link: string): Promise<{generation: number; kubeconfig: string}> {
  const l = await json(consumer, 'links.multicluster.linkerd.io', '-n', 'linkerd-multicluster', link)
  const secret = await json(consumer, 'secret', '-n', 'linkerd-multicluster', l.spec.clusterCredentialsSecret)
  return {generation: Number(/-g(\d+)$/.exec(l.spec.clusterCredentialsSecret)![1]), kubeconfig: Buffer.from(secret.data.kubeconfig, 'base64').toString()}
}
/** The destination controller's pods of a cluster that run (uid), and the stamp of its template. */
async function destination(cluster: string): Promise<{pods: string[]; stamp: string}> {
  const d = await json(cluster, 'deployment', '-n', 'linkerd', 'linkerd-destination')
  const pods = (await json(cluster, 'pods', '-n', 'linkerd', '-l', 'linkerd.io/control-plane-component=destination')).items.filter((p: {metadata: {deletionTimestamp?: string}}) => !p.metadata.deletionTimestamp)
  return {pods: pods.map((p: {metadata: {uid: string}}) => p.metadata.uid), stamp: d.spec.template.metadata.annotations?.['mcfed.io/link-credentials'] ?? ''}
}
const asToken = async (kubeconfig: string, ...args: string[]) => {
  const file = join(work, `probe-${Math.random().toString(36).slice(2)}.kubeconfig`)
  writeFileSync(file, kubeconfig, {mode: 0o600})
  try {
    return {ok: true, out: (await run('kubectl', ['--kubeconfig', file, ...args])).stdout.trim()}
  } catch (e) {
    return {ok: false, out: `${(e as {stdout?: string}).stdout ?? ''}${(e as {stderr?: string}).stderr ?? ''}`.trim()}
  }
}
/** Lines of Linkerd's controllers' logs in which a target refused them. */
function refusals(): string[] {
  return mesh.clusters.flatMap(refusalsIn)
}

beforeAll(async () => {
  if (!linkerd.ok || !linkerd.cli) return
  mesh = await startMeshClusters(inject('kubeBin'), 'creds', {linkerd: true})
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  spec = join(work, 'federation.yaml')
  writeFileSync(
    spec,
    readFileSync('examples/three-region/federation.yaml', 'utf8')
      .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
      .replace('version: "2.18"', 'version: "2.19"')
      .replace('    trustAnchor:', '    linkCredentials: {validity: 10m, renewBefore: 9m}\n    trustAnchor:'),
  )
  await Promise.all(CLUSTERS.map((c) => mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')))
  expect((await mcfed('certs', 'init', '-f', spec)).code).toBe(0)
}, 600_000)

afterAll(async () => {
  await mesh?.stop()
})

beforeEach((ctx) => void requireLinkerd(ctx, L219))

describe("link credentials renewed over time, with Linkerd's own controllers", () => {
  test('ten-minute tokens through their first expiry: every renewal reaches both controllers, the replaced token is refused, a service exported after expiry is mirrored', {timeout: 1_500_000}, async () => {
    const first = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(first.code, first.stdout + first.stderr).toBe(0)
    const issuedAt = Date.now()
    await waitForMirrors(mesh, SEED_MIRRORS)
    expect((await named('west', 'east')).generation).toBe(1)

    let renewals = 0
    // An apply every ninety seconds until well past the first tokens' expiry (ten minutes).
    while (Date.now() - issuedAt < 11.5 * 60_000) {
      await new Promise((r) => setTimeout(r, 90_000))
      const before = Object.fromEntries(await Promise.all(LINKS.map(async ([c, l]) => [`${c}/${l}`, await named(c, l)] as const)))
      const rolledFrom = Object.fromEntries(await Promise.all(CLUSTERS.map(async (c) => [c, await destination(c)] as const)))
      const plan = await mcfed('plan', '-f', spec, '--detailed-exitcode', '--no-color')
      expect(plan.code, plan.stdout + plan.stderr).toBe(2)
      expect(plan.stdout).toMatch(/linkerd_link_credential\.west\/east\/g\d+ will be created \(renews generation \d+, whose credentials expire .*, within renewBefore\)/)
      const applied = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
      expect(applied.code, applied.stdout + applied.stderr).toBe(0)
      renewals++
      for (const [c, l] of LINKS) {
        const now = await named(c, l)
        const was = before[`${c}/${l}`]!
        expect(now.generation, `${c}/${l}`).toBeGreaterThan(was.generation)
        // The replaced token is refused by the target (the API server's token cache holds ten seconds).
        await until(`the replaced token of ${c}/${l} is refused`, async () => !(await asToken(was.kubeconfig, 'get', 'services', '-A', '-o', 'name')).ok, 30_000)
        // The new one has the remote-access rights, and no more.
        expect((await asToken(now.kubeconfig, 'auth', 'can-i', 'watch', 'endpointslices.discovery.k8s.io', '-A')).out).toBe('yes')
        expect((await asToken(now.kubeconfig, 'auth', 'can-i', 'get', 'secrets', '-n', 'linkerd')).out).toBe('no')
      }
      // The destination controller of each consumer was rolled onto the new generations: a new pod, a new stamp.
      for (const c of CLUSTERS) {
        const d = await destination(c)
        expect(d.stamp, c).not.toBe(rolledFrom[c]!.stamp)
        expect(d.pods.some((p) => rolledFrom[c]!.pods.includes(p)), `${c}: a pod of the previous template still runs`).toBe(false)
      }
    }
    expect(renewals).toBeGreaterThanOrEqual(6)
    const verified = await mcfed('verify', '-f', spec, '--no-color')
    expect(verified.code, verified.stdout).toBe(0)

    // The first tokens expired long ago; a service exported now reaches every consumer, flat and through the gateway.
    await mesh.kubectl('east', 'create', 'service', 'clusterip', 'ledger', '-n', 'mc-demo', '--tcp=8080:8080')
    await mesh.kubectl('east', 'label', 'service', 'ledger', '-n', 'mc-demo', 'mirror.linkerd.io/exported=remote-discovery')
    await mesh.kubectl('east', 'create', 'service', 'clusterip', 'audit', '-n', 'mc-demo', '--tcp=8080:8080')
    await mesh.kubectl('east', 'label', 'service', 'audit', '-n', 'mc-demo', 'mirror.linkerd.io/exported=true')
    await until('west and north mirror what east exported after the first tokens expired', async () => {
      const [west, north] = [await mirrorsOf(mesh, 'west'), await mirrorsOf(mesh, 'north')]
      return ['ledger-east', 'audit-east-gw'].every((m) => west.includes(m) && north.includes(m))
    }, 120_000)
    expect(refusals()).toEqual([])
    expect(outputs.join('\n')).not.toMatch(/eyJhbGciOi|PRIVATE KEY/)
  })
})
