import {X509Certificate} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {requestsByVerb} from '../support/apiserver-requests.js'
import {mcfedAsync, type CliResult} from '../support/cli.js'
import {L219, L220, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'
import {SEED_MIRRORS, mirrorsOf, waitForMirrors} from '../support/mirrors.js'
import {until} from '../support/until.js'

/**
 * A no-op plan's LISTs in one cluster of the three-region mesh with Linkerd installed (the
 * controllers' Deployments are not listed apart: under install: mcfed they are the inventory's;
 * the issuer's Secret is, for the fleet's trust read first, so that it alone of mcfed's Secrets is
 * held for every cluster at once).
 */
const LISTS_PER_CLUSTER = 23

/**
 * `install: mcfed`: mcfed renders Linkerd's CRDs, control plane and multicluster extension with
 * Linkerd's own CLI (2.19, and 2.20 for the upgrade) and applies them as deltas; Linkerd's own
 * controllers run for the pods those renders describe, and the tests watch them mirror.
 */
const linkerd: Record<string, ReturnType<typeof linkerdBinaries>> = {[L219]: linkerdBinaries(L219), [L220]: linkerdBinaries(L220)}
const cliOf = (release: string) => {
  const found = linkerd[release]!
  return found.ok && found.cli ? found.cli : ''
}
let mesh: MeshClusters
let work: string
const outputs: string[] = []

const base = readFileSync('examples/three-region/federation.yaml', 'utf8')
  .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
  .replace('version: "2.18"', 'version: "2.19"')

/**
 * Linkerd's own CLI behind a wrapper that notes each run, so a test can say how often a plan
 * rendered (a no-op plan of an estate its render records vouch for: never).
 */
function countedCli(release: string): string {
  const wrapper = join(work, `linkerd-${release}`)
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${JSON.stringify(join(work, 'cli-runs.log'))}\nexec ${JSON.stringify(cliOf(release))} "$@"\n`, {mode: 0o755})
  return wrapper
}
/** The CLI runs since the last call: their arguments, one line each. */
function cliRuns(): string[] {
  const log = join(work, 'cli-runs.log')
  const runs = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []
  rmSync(log, {force: true})
  return runs
}

async function mcfed(release: string, ...args: string[]): Promise<CliResult> {
  const result = await mcfedAsync(args, {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: countedCli(release)})
  outputs.push(result.stdout, result.stderr)
  return result
}
function writeSpec(name: string, text: string): string {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}
const json = async (cluster: string, ...args: string[]) => JSON.parse(await mesh.kubectl(cluster, 'get', ...args, '-o', 'json'))
const deployments = async (cluster: string, namespace: string) =>
  ((await json(cluster, 'deployments', '-n', namespace)).items as {metadata: {name: string}; spec: {template: {spec: {containers: {name: string; image: string}[]}}}}[])
const image = async (cluster: string, deployment: string, container: string) =>
  (await deployments(cluster, 'linkerd')).find((d) => d.metadata.name === deployment)!.spec.template.spec.containers.find((c) => c.name === container)!.image

let spec219: string

beforeAll(async () => {
  if (!cliOf(L219) || !cliOf(L220)) return
  mesh = await startMeshClusters(inject('kubeBin'), 'install', {linkerd: true})
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  writeFileSync(join(work, 'services.yaml'), readFileSync('examples/three-region/services.yaml', 'utf8'))
  await Promise.all(mesh.clusters.map((c) => mesh.kubectl(c.name, 'apply', '-f', join(work, 'services.yaml'))))
  spec219 = writeSpec('federation.yaml', base)
  expect((await mcfed('edge-25.10.7', 'certs', 'init', '-f', spec219)).code).toBe(0)
}, 600_000)

afterAll(async () => {
  await mesh?.stop()
})

beforeEach((ctx) => void requireLinkerd(ctx, L219, L220))

describe('Linkerd installed by mcfed from the CLI\'s renders (install: mcfed)', () => {
  test('apply installs CRDs, control plane and extension in each cluster; a second plan is empty', {timeout: 900_000}, async () => {
    const planned = await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--no-color')
    expect(planned.code, planned.stderr).toBe(0)
    expect(planned.stdout).toContain('+ linkerd_control_plane.west')
    expect(planned.stdout).toContain('+ Deployment linkerd/linkerd-destination')
    expect(planned.stdout).toContain('+ Deployment linkerd-multicluster/controller-east-gw')

    const applied = await mcfed('edge-25.10.7', 'apply', '-f', spec219, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)

    for (const c of ['west', 'east', 'north']) expect(await image(c, 'linkerd-destination', 'destination')).toMatch(/:edge-25\.10\.7$/)
    const multicluster = Object.fromEntries(
      await Promise.all(['west', 'east', 'north'].map(async (c) => [c, (await deployments(c, 'linkerd-multicluster')).map((d) => d.metadata.name).sort()])),
    )
    expect(multicluster).toEqual({
      west: ['controller-east', 'controller-east-gw', 'controller-north', 'linkerd-local-service-mirror'],
      east: ['controller-north', 'controller-west', 'linkerd-gateway', 'linkerd-local-service-mirror'],
      north: ['controller-east', 'controller-east-gw', 'controller-west', 'linkerd-local-service-mirror'],
    })

    // The Link east-gw in west targets east's gateway, as its Service advertises it.
    const gateway = await json('east', 'service', '-n', 'linkerd-multicluster', 'linkerd-gateway')
    const address = gateway.status.loadBalancer.ingress[0].ip as string
    expect(address).toMatch(/^192\.0\.2\./)
    const link = await json('west', 'links.multicluster.linkerd.io', '-n', 'linkerd-multicluster', 'east-gw')
    expect(link.spec).toMatchObject({gatewayAddress: address, gatewayPort: '4143'})

    // One owner for the trust roots and the issuer: the control plane's render, with the spec's anchor.
    const anchor = readFileSync(join(work, 'certs', 'root.crt'), 'utf8')
    const issuers: string[] = []
    for (const c of ['west', 'east', 'north']) {
      const roots = await json(c, 'configmap', '-n', 'linkerd', 'linkerd-identity-trust-roots', '--show-managed-fields')
      expect(roots.data['ca-bundle.crt'].trim()).toBe(anchor.trim())
      expect(roots.metadata.managedFields.map((f: {manager: string}) => f.manager)).toEqual(['mcfed'])
      const issuer = await json(c, 'secret', '-n', 'linkerd', 'linkerd-identity-issuer')
      const cert = new X509Certificate(Buffer.from(issuer.data['crt.pem'], 'base64'))
      expect(cert.checkIssued(new X509Certificate(anchor))).toBe(true)
      issuers.push(cert.fingerprint256)
      // The webhooks trust the CA that signed the serving certificates mcfed stored.
      const tls = await json(c, 'secret', '-n', 'linkerd', 'linkerd-proxy-injector-k8s-tls')
      expect(tls.type).toBe('kubernetes.io/tls')
      const webhook = await json(c, 'mutatingwebhookconfiguration', 'linkerd-proxy-injector-webhook-config')
      expect(webhook.webhooks[0].clientConfig.caBundle).toBe(tls.data['ca.crt'])
    }
    expect(new Set(issuers).size).toBe(3)

    cliRuns()
    const again = await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--no-color', '--detailed-exitcode')
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(again.stdout).toContain('No changes')
    // The records apply wrote vouch for every component: the plan ran Linkerd's CLI not even once.
    expect(cliRuns()).toEqual([])
    for (const c of ['west', 'east', 'north']) {
      const records = (await json(c, 'configmaps', '-n', 'kube-system', '-l', 'mcfed.io/render-record')).items.map((m: {metadata: {name: string}}) => m.metadata.name)
      expect(records.sort()).toEqual(['mcfed-render-control-plane', 'mcfed-render-crds', 'mcfed-render-multicluster'])
    }

    // Linkerd's own controllers, run for the pods of what mcfed installed, mirror the seed's services.
    await waitForMirrors(mesh, SEED_MIRRORS)

    // Trace logs carry the API's bodies, Secrets included: their material must not reach stderr.
    const traced = await mcfedAsync(['plan', '-f', spec219, '--no-color', '--log-level', 'trace'], {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: cliOf(L219)})
    expect(traced.code, traced.stderr.slice(0, 2000)).toBe(0)
    expect(traced.stderr).toContain('"kind":"SecretList"')
    expect(traced.stderr).toContain('<redacted>')
    const issuerData = (await json('west', 'secret', '-n', 'linkerd', 'linkerd-identity-issuer')).data as Record<string, string>
    const issuerKey = issuerData['key.pem'] ?? issuerData['tls.key']
    expect(issuerKey).toBeTruthy()
    expect(traced.stderr).not.toContain(issuerKey)
    expect(traced.stderr).not.toMatch(/PRIVATE KEY|eyJhbGciOi/)
  })

  test('a no-op plan reads each cluster in one LIST per kind (Services and Deployments aside) and no GET of an object', {timeout: 120_000}, async () => {
    const counts = async () => requestsByVerb(await mesh.kubectl('west', 'get', '--raw', '/metrics'))
    const before = await counts()
    expect((await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--detailed-exitcode')).code).toBe(0)
    const after = await counts()
    // The install's inventory lists of Secrets, ServiceAccounts, RBAC, Servers and ConfigMaps are
    // served from the owner-selected lists of the same kinds: each of those kinds was listed twice before.
    expect((after.LIST ?? 0) - (before.LIST ?? 0)).toBe(LISTS_PER_CLUSTER)
    expect((after.GET ?? 0) - (before.GET ?? 0)).toBe(0)
  })

  test('a hand-edited object renders and plans its repair; once repaired the plan renders nothing again', {timeout: 600_000}, async () => {
    await mesh.kubectl('east', 'patch', 'deployment', '-n', 'linkerd', 'linkerd-destination', '--type', 'merge', '-p', '{"spec":{"replicas":2}}')
    cliRuns()
    const planned = await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--no-color', '--detailed-exitcode')
    expect(planned.code, planned.stdout + planned.stderr).toBe(2)
    expect(planned.stdout).toContain('~ linkerd_control_plane.east')
    expect(planned.stdout).toMatch(/~ Deployment linkerd\/linkerd-destination[\s\S]*spec\.replicas\s+= 2 -> 1/)
    expect(planned.stdout).not.toMatch(/linkerd_(control_plane|multicluster|crds)\.(west|north)/)
    // Only east's control plane was rendered (once to check the CLI's release, once to render).
    expect(cliRuns().filter((r) => !r.startsWith('version'))).toEqual(['install --ignore-cluster -f -'])
    expect((await mcfed('edge-25.10.7', 'apply', '-f', spec219, '--auto-approve', '--no-color')).code).toBe(0)
    cliRuns()
    expect((await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--detailed-exitcode')).code).toBe(0)
    expect(cliRuns()).toEqual([])
  })

  test('a deleted controller is reported (exit 2) and restored by apply', {timeout: 600_000}, async () => {
    await mesh.kubectl('west', 'delete', 'deployment', '-n', 'linkerd-multicluster', 'controller-east-gw')
    cliRuns()
    const drift = await mcfed('edge-25.10.7', 'drift', '-f', spec219, '--no-color')
    expect(drift.code, drift.stdout + drift.stderr).toBe(2)
    expect(drift.stdout).toContain('~ linkerd_multicluster.west')
    expect(drift.stdout).toContain('+ Deployment linkerd-multicluster/controller-east-gw')
    // The list changes element by element: the controller that is missing, and a count of the rest.
    expect(drift.stdout).toMatch(/controllers\s+= \[\n\s+\+ "east-gw",\n\s+# \(2 unchanged elements hidden\)/)

    // Nothing mirrors through east-gw in west meanwhile: a service east exports now is not seen there.
    await mesh.kubectl('east', 'create', 'service', 'clusterip', 'reports', '-n', 'mc-demo', '--tcp=8080:8080')
    await mesh.kubectl('east', 'label', 'service', 'reports', '-n', 'mc-demo', 'mirror.linkerd.io/exported=true')
    await until('north mirrors reports through east-gw', async () => (await mirrorsOf(mesh, 'north')).includes('reports-east-gw'))
    expect(await mirrorsOf(mesh, 'west')).not.toContain('reports-east-gw')

    expect(cliRuns().filter((r) => !r.startsWith('version'))).toEqual(['multicluster install --ignore-cluster -f -'])
    const applied = await mcfed('edge-25.10.7', 'apply', '-f', spec219, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect((await deployments('west', 'linkerd-multicluster')).map((d) => d.metadata.name)).toContain('controller-east-gw')
    cliRuns()
    expect((await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--detailed-exitcode')).code).toBe(0)
    expect(cliRuns()).toEqual([])
    // The restored controller, Linkerd's own, catches up.
    await until('west mirrors reports through east-gw', async () => (await mirrorsOf(mesh, 'west')).includes('reports-east-gw'))
    await mesh.kubectl('east', 'delete', 'service', 'reports', '-n', 'mc-demo')
  })

  test('an upgrade plans object-level changes and applies cluster by cluster; going back prunes only what mcfed applied', {timeout: 900_000}, async () => {
    const next = writeSpec('federation-next.yaml', base.replace('version: "2.19"', 'version: edge-26.6.3'))
    const planned = await mcfed('edge-26.6.3', 'plan', '-f', next, '--no-color')
    expect(planned.code, planned.stderr).toBe(0)
    expect(planned.stdout).toContain('~ linkerd_control_plane.west')
    expect(planned.stdout).toContain('~ Deployment linkerd/linkerd-destination')
    expect(planned.stdout).toMatch(/spec\.template\.spec\.containers\[name=destination\]\.image = ".*:edge-25\.10\.7" -> ".*:edge-26\.6\.3"/)
    expect(planned.stdout).toContain('+ Server linkerd-multicluster/linkerd-admin')

    const applied = await mcfed('edge-26.6.3', 'apply', '-f', next, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    for (const c of ['west', 'east', 'north']) expect(await image(c, 'linkerd-destination', 'destination')).toMatch(/:edge-26\.6\.3$/)
    // The upgraded controllers are 2.20's own binaries, and they keep mirroring: a service exported now reaches every consumer.
    await mesh.kubectl('west', 'create', 'service', 'clusterip', 'billing', '-n', 'mc-demo', '--tcp=8080:8080')
    await mesh.kubectl('west', 'label', 'service', 'billing', '-n', 'mc-demo', 'mirror.linkerd.io/exported=remote-discovery')
    await until('east and north mirror billing from west after the upgrade', async () => (await mirrorsOf(mesh, 'east')).includes('billing-west') && (await mirrorsOf(mesh, 'north')).includes('billing-west'))
    // Apply does not wait for every rollout (as `linkerd upgrade` does not): the controller manager
    // retires the old pods once the new ones are ready, which on a loaded machine takes a while.
    const running = () => mesh.clusters.flatMap((c) => c.linkerd?.status() ?? []).filter((c) => c.state === 'running')
    const stale = () => running().filter((c) => c.release !== 'edge-26.6.3').map((c) => `${c.cluster} ${c.namespace}/${c.pod} ${c.release} since ${c.startedAt}`)
    await until('every old pod retired', async () => stale().length === 0).catch(() => {})
    expect(stale()).toEqual([])
    expect(running().length).toBeGreaterThan(0)
    await mesh.kubectl('west', 'delete', 'service', 'billing', '-n', 'mc-demo')
    // Cluster by cluster: no upgrade step of a cluster starts before the previous cluster's are done.
    const lines = applied.stdout.split('\n')
    const upgraded = /^(linkerd_(?:crds|control_plane|multicluster))\.(\w+): (Modifying\.\.\.|Modifications complete)/
    const events = lines.flatMap((l) => {
      const m = upgraded.exec(l)
      return m ? [{cluster: m[2]!, done: m[3] !== 'Modifying...'}] : []
    })
    const order = [...new Set(events.map((e) => e.cluster))]
    expect(order).toHaveLength(3)
    for (let i = 1; i < order.length; i++) {
      const firstStart = events.findIndex((e) => e.cluster === order[i] && !e.done)
      const lastDoneBefore = events.map((e, j) => (e.cluster === order[i - 1] && e.done ? j : -1)).reduce((a, b) => Math.max(a, b))
      expect(firstStart).toBeGreaterThan(lastDoneBefore)
    }

    // Someone else's object of a kind the render has, in the extension's namespace: never pruned.
    await mesh.kubectl('west', 'create', 'serviceaccount', '-n', 'linkerd-multicluster', 'someone-elses')
    const back = await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--no-color')
    expect(back.stdout).toContain('- Server linkerd-multicluster/linkerd-admin')
    expect(back.stdout).not.toContain('someone-elses')
    const downgraded = await mcfed('edge-25.10.7', 'apply', '-f', spec219, '--auto-approve', '--no-color', '--parallelism', '3')
    expect(downgraded.code, downgraded.stdout + downgraded.stderr).toBe(0)
    const servers = (await json('west', 'servers.policy.linkerd.io', '-n', 'linkerd-multicluster')).items.map((s: {metadata: {name: string}}) => s.metadata.name)
    expect(servers).not.toContain('linkerd-admin')
    expect(await mesh.kubectl('west', 'get', 'serviceaccount', '-n', 'linkerd-multicluster', 'someone-elses', '-o', 'name')).toContain('someone-elses')
    expect((await mcfed('edge-25.10.7', 'plan', '-f', spec219, '--detailed-exitcode')).code).toBe(0)
  })

  test('destroy removes what mcfed applied, CRDs last, and leaves the Services it only labelled', {timeout: 600_000}, async () => {
    const destroyed = await mcfed('edge-25.10.7', 'destroy', '-f', spec219, '--auto-approve', '--no-color')
    expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0)
    for (const c of ['west', 'east', 'north']) {
      const crds = (await json(c, 'crd')).items.map((d: {metadata: {name: string}}) => d.metadata.name)
      expect(crds.filter((n: string) => n.endsWith('linkerd.io'))).toEqual([])
      expect((await json(c, 'clusterrole', '-l', 'mcfed.io/component')).items).toEqual([])
      expect((await json(c, 'services', '-n', 'mc-demo')).items.length).toBeGreaterThan(0)
    }
    const again = await mcfed('edge-25.10.7', 'destroy', '-f', spec219, '--auto-approve', '--no-color')
    expect(again.code, again.stdout + again.stderr).toBe(0)
  })

  test('no key, token or certificate body appears in any output', () => {
    const all = outputs.join('\n')
    expect(all).not.toMatch(/PRIVATE KEY|LS0tLS1CRUdJTi|eyJhbGciOi|MII[A-Za-z0-9+/]{20}/)
  })
})
