import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {startGcpSimulator, type GcpSimulator} from '../../src/sandbox/gcp/server.js'
import {mcfedAsync} from '../support/cli.js'
import {syncExternalSecrets} from '../support/external-secrets.js'
import {gcloudFor} from '../support/gcloud.js'
import {prepareClusters, projectCrds} from '../support/gitops-crds.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {SEED_MIRRORS, waitForMirrors} from '../support/mirrors.js'
import {crdsEstablished, startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'

/**
 * GitOps mode with `install: mcfed`, from nothing: mcfed writes only key material, to Secret
 * Manager (`apply --layer credentials`); everything in the clusters, Linkerd's own components
 * included (rendered by its 2.19 CLI), comes from the tree through `kubectl apply -k` and an
 * External Secrets stand-in; Linkerd's own controllers then mirror through what the tree made, and
 * mcfed's ordinary live plan finds the clusters as it would have made them itself.
 */
const linkerd = linkerdBinaries(L219)
const cli = () => (linkerd.ok && linkerd.cli) || 'linkerd'
let mesh: MeshClusters
let sim: GcpSimulator
let work: string
let gcloud: (args: string[]) => Promise<string>
let mcfed: (...args: string[]) => ReturnType<typeof mcfedAsync>

const spec = () => join(work, 'federation.yaml')
const tree = () => join(work, 'tree')
const example = readFileSync('examples/gitops/federation.yaml', 'utf8')
  .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
  .replace(/install: external\b/, 'install: mcfed')

const filesIn = (dir: string) =>
  readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as {path: string}).path, e.name))
const objectsIn = (dir: string) =>
  filesIn(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as {kind: string; type?: string; data?: unknown; metadata: {name: string; namespace?: string}; spec: Record<string, unknown>}))

async function render(): Promise<string> {
  const out = await mcfed('render', '-f', spec(), '-o', tree(), '--gcp-endpoint', sim.url, '--linkerd-cli', cli(), '--no-color')
  expect(out.code, out.stdout + out.stderr).toBe(0)
  return out.stderr
}

async function applyTrees(): Promise<void> {
  // As an engine syncs: layer by layer, each once the one before is established.
  await Promise.all(
    mesh.clusters.map(async (c) => {
      for (const layer of ['crds', 'control-plane', 'multicluster', 'links', 'services']) {
        const dir = join(tree(), 'clusters', c.name, layer)
        if (!readdirSync(join(tree(), 'clusters', c.name)).includes(layer)) continue
        await mesh.kubectl(c.name, 'apply', '--server-side', '--force-conflicts', '-k', dir)
        await crdsEstablished(mesh, c.name)
      }
    }),
  )
}

beforeAll(async () => {
  if (!linkerd.ok || !linkerd.cli) return
  mesh = await startMeshClusters(inject('kubeBin'), 'gitops-install', {linkerd: true})
  sim = await startGcpSimulator({operationMs: 10, clusterOperationMs: 10, waitCapMs: 500})
  gcloud = await gcloudFor(sim.url, 'my-project')
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  mcfed = (...args: string[]) => mcfedAsync(args, {KUBECONFIG: mesh.kubeconfig})
  writeFileSync(spec(), example)
  expect((await mcfed('certs', 'init', '-f', spec())).code).toBe(0)
  // External Secrets' CRDs only: Linkerd's come with the tree.
  await prepareClusters(mesh, 'examples/three-region/services.yaml', (await projectCrds())['external-secrets'] ?? [])
}, 900_000)

beforeEach((ctx) => void requireLinkerd(ctx, L219))

afterAll(async () => {
  await sim?.close()
  await mesh?.stop()
})

describe('GitOps tree with install: mcfed, applied by kubectl onto bare clusters', () => {
  test('apply --layer credentials writes issuers and webhook certificates to Secret Manager only; link tokens wait for the remote access the tree brings', {timeout: 300_000}, async () => {
    const applied = await mcfed('apply', '-f', spec(), '--layer', 'credentials', '--gcp-endpoint', sim.url, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(applied.stdout + applied.stderr).toMatch(/8 resources wait for \d+ they depend on/)
    expect(applied.stdout + applied.stderr).not.toMatch(/PRIVATE KEY/)
    const stored = JSON.parse(await gcloud(['secrets', 'list', '--filter=labels.mcfed-federation=mc-gitops', '--format=json'])) as {name: string; labels: Record<string, string>}[]
    expect(stored.map((s) => s.name.split('/').pop()).sort()).toEqual(['east', 'north', 'west'].flatMap((c) => [`mcfed-mc-gitops-${c}-issuer`, `mcfed-mc-gitops-${c}-webhooks`]))
    // Nothing went into a cluster: the engine brings it all.
    for (const c of mesh.clusters) expect(await mesh.kubectl(c.name, 'get', 'namespaces', '-o', 'name')).not.toMatch(/namespace\/linkerd/)
  })

  test('render: Linkerd\'s components from its CLI with shared and per-cluster values, the webhook CA from the store; no key, token or data-carrying Secret in any file; a second render changes nothing', {timeout: 300_000}, async () => {
    const warnings = await render()
    // Only the gateway Links wait: the gateway's address exists once the engine synced the extension.
    expect(warnings.match(/not-rendered\]: \S+/g)?.sort()).toEqual(['not-rendered]: linkerd_link.north/east-gw', 'not-rendered]: linkerd_link.west/east-gw'])
    const objects = objectsIn(join(tree(), 'clusters', 'west'))
    for (const name of ['linkerd-destination', 'linkerd-identity', 'linkerd-proxy-injector', 'controller-east', 'controller-north', 'controller-east-gw']) expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === name), name).toBe(true)
    expect(objects.filter((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === 'linkerd').map((o) => o.metadata.name).sort()).toEqual(
      expect.arrayContaining(['linkerd-identity-issuer', 'linkerd-policy-validator-k8s-tls', 'linkerd-proxy-injector-k8s-tls', 'linkerd-sp-validator-k8s-tls']),
    )
    for (const o of objects.filter((x) => x.kind === 'Secret')) expect(o.data, `${o.metadata.namespace}/${o.metadata.name}`).toBeUndefined()
    for (const file of filesIn(tree())) expect(readFileSync(file, 'utf8'), file).not.toMatch(/PRIVATE KEY|eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.|client-key-data|token:|keyPEM: [^"\s]/)
    expect(readFileSync(join(tree(), 'values', 'control-plane', 'shared.yaml'), 'utf8')).toMatch(/scheme: kubernetes.io\/tls/)
    expect(readFileSync(join(tree(), 'values', 'control-plane', 'west.yaml'), 'utf8')).toMatch(/heartbeatSchedule:/)
    expect(readFileSync(join(tree(), 'values', 'multicluster', 'west.yaml'), 'utf8')).toMatch(/name: east-gw/)
    const check = await mcfed('render', '-f', spec(), '-o', tree(), '--gcp-endpoint', sim.url, '--linkerd-cli', cli(), '--check', '--detailed-exitcode', '--no-color')
    expect(check.code, check.stdout + check.stderr).toBe(0)
  })

  test('kubectl apply -k, then link tokens to the store, a render with the gateway, a stand-in External Secrets: 8 Links, Linkerd\'s own controllers mirror, and mcfed\'s live plan of the same spec changes nothing', {timeout: 900_000}, async () => {
    await applyTrees()
    for (const c of mesh.clusters) await syncExternalSecrets(mesh, c.name, gcloud, work)
    const tokens = await mcfed('apply', '-f', spec(), '--layer', 'credentials', '--gcp-endpoint', sim.url, '--auto-approve', '--no-color')
    expect(tokens.code, tokens.stdout + tokens.stderr).toBe(0)
    expect(tokens.stdout).toMatch(/Apply complete! 8 steps done/)
    await render()
    await applyTrees()
    for (const c of mesh.clusters) await syncExternalSecrets(mesh, c.name, gcloud, work)
    const links = JSON.parse(await mesh.kubectl('west', 'get', 'links.multicluster.linkerd.io', '-n', 'linkerd-multicluster', '-o', 'json')).items as {metadata: {name: string}}[]
    expect(links.map((l) => l.metadata.name).sort()).toEqual(['east', 'east-gw', 'north'])
    await waitForMirrors(mesh, SEED_MIRRORS)

    const planned = await mcfed('plan', '-f', spec(), '--format', 'json', '--layer', 'kube', '--linkerd-cli', cli(), '--gcp-endpoint', sim.url)
    const plan = JSON.parse(planned.stdout) as {resource_changes: {address: string; kind: string; action: string}[]}
    const changed = plan.resource_changes.filter((r) => r.action !== 'no-op').map((r) => `${r.action} ${r.address}`)
    // Everything, the destination controller's credentials stamp included: the tree's Deployment carries it.
    expect(changed).toEqual([])
  })
})
