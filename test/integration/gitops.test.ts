import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {startGcpSimulator, type GcpSimulator} from '../../src/sandbox/gcp/server.js'
import {parseSpec} from '../../src/spec/parse.js'
import {mcfedAsync} from '../support/cli.js'
import {syncExternalSecrets} from '../support/external-secrets.js'
import {gcloudFor} from '../support/gcloud.js'
import {prepareClusters, projectCrds} from '../support/gitops-crds.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {SEED_MIRRORS, waitForMirrors} from '../support/mirrors.js'
import {installLinkerdExternally, startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'

/**
 * The GitOps tree against real API servers: Linkerd installed from its own 2.19 CLI's renders as an
 * external installer would, the CRDs of External Secrets, Argo CD and Flux from those projects' own
 * Go modules (tools/gitops/crds.sh), then what `mcfed render` wrote applied with plain
 * `kubectl apply --server-side -k`, as an engine would, and mcfed's own live plan asked whether the
 * clusters now hold what it would have written itself.
 */
const run = promisify(execFile)
const linkerd = linkerdBinaries(L219)
let mesh: MeshClusters
let sim: GcpSimulator
let work: string
let mcfed: (...args: string[]) => ReturnType<typeof mcfedAsync>

const spec = () => join(work, 'federation.yaml')
const example = readFileSync('examples/gitops/federation.yaml', 'utf8').replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')

const objectsIn = (dir: string) =>
  readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile() && e.name !== 'kustomization.yaml')
    .flatMap((e) => parseAllDocuments(readFileSync(join(e.parentPath ?? (e as unknown as {path: string}).path, e.name), 'utf8')).map((d) => d.toJS() as {kind: string; metadata: {name: string; namespace?: string}; spec: Record<string, unknown>}))

beforeAll(async () => {
  if (!linkerd.ok || !linkerd.cli) return
  mesh = await startMeshClusters(inject('kubeBin'), 'gitops', {linkerd: true})
  // GitOps mode reads credential generations from Secret Manager: the simulator serves it from the start.
  sim = await startGcpSimulator({operationMs: 10, clusterOperationMs: 10, waitCapMs: 500})
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  mcfed = (...args: string[]) => mcfedAsync(args, {KUBECONFIG: mesh.kubeconfig})
  writeFileSync(spec(), example)
  expect((await mcfed('certs', 'init', '-f', spec())).code).toBe(0)
  await installLinkerdExternally(mesh, {cli: linkerd.cli, spec: parseSpec(spec(), example, {}).spec!, anchorPem: readFileSync(join(work, 'certs', 'root.crt'), 'utf8')})
  writeFileSync(join(work, 'services.yaml'), readFileSync('examples/three-region/services.yaml', 'utf8'))
  const crds = await projectCrds()
  await prepareClusters(mesh, join(work, 'services.yaml'), Object.values(crds).flat(), ['argocd', 'flux-system'])
}, 900_000)

beforeEach((ctx) => void requireLinkerd(ctx, L219))

afterAll(async () => {
  await sim?.close()
  await mesh?.stop()
})

describe('GitOps tree applied by kubectl (install: external)', () => {
  test('render reads the estate: all 8 Links with their own selectors, gateway Links with the live gateway; no secret in any file; a second render changes nothing', {timeout: 300_000}, async () => {
    const tree = join(work, 'tree')
    const rendered = await mcfed('render', '-f', spec(), '-o', tree, '--no-color', '--gcp-endpoint', sim.url)
    expect(rendered.code, rendered.stdout + rendered.stderr).toBe(0)
    expect(rendered.stderr).not.toMatch(/not-rendered/)
    const links = objectsIn(join(tree, 'clusters')).filter((o) => o.kind === 'Link')
    expect(links.map((l) => l.metadata.name).sort()).toEqual(['east', 'east', 'east-gw', 'east-gw', 'north', 'north', 'west', 'west'])
    const gatewayIp = (await mesh.kubectl('east', 'get', 'svc', '-n', 'linkerd-multicluster', 'linkerd-gateway', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')).trim()
    for (const l of links.filter((x) => x.metadata.name === 'east-gw')) {
      expect(l.spec).toMatchObject({selector: {matchLabels: {'mirror.linkerd.io/exported': 'true'}}, gatewayAddress: gatewayIp})
      expect(l.spec).not.toHaveProperty('remoteDiscoverySelector')
    }
    for (const e of readdirSync(tree, {recursive: true, withFileTypes: true}).filter((x) => x.isFile())) {
      const file = join(e.parentPath ?? (e as unknown as {path: string}).path, e.name)
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/PRIVATE KEY|eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.|client-key-data|token:/)
    }
    const check = await mcfed('render', '-f', spec(), '-o', tree, '--check', '--detailed-exitcode', '--no-color', '--gcp-endpoint', sim.url)
    expect(check.code, check.stdout + check.stderr).toBe(0)
    expect(check.stdout).toMatch(/No changes/)
  })

  test("the engine's objects and the ExternalSecrets are accepted by API servers with those projects' own CRDs", {timeout: 300_000}, async () => {
    for (const engine of ['argocd', 'flux']) {
      const file = join(work, `federation-${engine}.yaml`)
      writeFileSync(file, example.replace('engine: argocd', `engine: ${engine}`))
      const tree = join(work, `tree-${engine}`)
      const rendered = await mcfed('render', '-f', file, '-o', tree, '--no-color', '--gcp-endpoint', sim.url)
      expect(rendered.code, rendered.stderr).toBe(0)
      const out = await mesh.kubectl('west', 'apply', '--dry-run=server', '-f', join(tree, 'engine'))
      expect(out).toMatch(engine === 'argocd' ? /applicationset\.argoproj\.io\/mcfed-mc-gitops (created|configured) \(server dry run\)/ : /kustomization\.kustomize\.toolkit\.fluxcd\.io\/west-links (created|configured) \(server dry run\)/)
    }
  })

  test('kubectl apply --server-side -k of each cluster writes what mcfed would: its live plan finds labels, remote access, trust roots and canaries as they should be', {timeout: 600_000}, async () => {
    const tree = join(work, 'tree')
    for (const c of mesh.clusters) await mesh.kubectl(c.name, 'apply', '--server-side', '-k', join(tree, 'clusters', c.name))
    const externalSecrets = JSON.parse(await mesh.kubectl('west', 'get', 'externalsecrets.external-secrets.io', '-A', '-o', 'json')).items as {metadata: {name: string; namespace: string}}[]
    expect(externalSecrets.map((e) => `${e.metadata.namespace}/${e.metadata.name}`).sort()).toEqual([
      'linkerd-multicluster/cluster-credentials-east-g1',
      'linkerd-multicluster/cluster-credentials-east-gw-g1',
      'linkerd-multicluster/cluster-credentials-north-g1',
      'linkerd/cluster-credentials-east',
      'linkerd/cluster-credentials-east-gw',
      'linkerd/cluster-credentials-north',
      'linkerd/linkerd-identity-issuer',
    ])
    // The link's credentials on its target are least privilege, whoever's token they are.
    const as = ['--as', 'system:serviceaccount:linkerd-multicluster:mcfed-link-west-east']
    const canI = async (...args: string[]) => (await mesh.kubectl('east', 'auth', 'can-i', ...as, ...args).catch((e: {stdout?: string}) => e.stdout ?? '')).trim()
    expect(await canI('list', 'services', '-A')).toBe('yes')
    expect(await canI('get', 'secrets', '-n', 'linkerd')).toBe('no')
    expect(await canI('create', 'services', '-n', 'default')).toBe('no')

    const planned = await mcfed('plan', '-f', spec(), '--format', 'json', '--layer', 'kube', '--gcp-endpoint', sim.url)
    const plan = JSON.parse(planned.stdout) as {resource_changes: {address: string; kind: string; action: string}[]}
    const written = plan.resource_changes.filter((r) => ['service_label', 'linkerd_remote_access', 'linkerd_trust_anchor', 'linkerd_canary'].includes(r.kind))
    // 6 labels, 8 links' remote access, 3 trust-roots ConfigMaps, a canary on each of the 3 link targets.
    expect(written.length).toBe(6 + 8 + 3 + 3)
    expect(written.filter((r) => r.action !== 'no-op').map((r) => `${r.action} ${r.address}`)).toEqual([])
    // Without an External Secrets operator the credentials' Secrets do not exist yet: what is left
    // is theirs (and what names them), never what the tree already holds.
    const left = new Set(plan.resource_changes.filter((r) => r.action !== 'no-op').map((r) => r.kind))
    for (const kind of left) expect(['linkerd_link_credential', 'linkerd_link', 'linkerd_destination_credentials', 'linkerd_issuer']).toContain(kind)
  })

  test('apply in GitOps mode mints each link\'s token on its target and writes it to Secret Manager, never to a cluster; an External Secrets stand-in brings it, and Linkerd\'s controllers mirror through the rendered Links', {timeout: 600_000}, async () => {
    const gcloud = await gcloudFor(sim.url, 'my-project')
    const targets = ['west/east', 'west/east-gw', 'west/north', 'east/west', 'east/north', 'north/west', 'north/east', 'north/east-gw'].flatMap((l) => ['--target', `linkerd_link_credential.${l}/g1`])
    const applied = await mcfed('apply', '-f', spec(), '--layer', 'kube', '--gcp-endpoint', sim.url, '--auto-approve', '--no-color', ...targets)
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(applied.stdout + applied.stderr).not.toMatch(/eyJ[\w-]{20,}/)
    // No credentials were written into a consumer (only the targets' bound Secrets exist): the stand-in below brings them.
    for (const c of mesh.clusters) expect(await mesh.kubectl(c.name, 'get', 'secrets', '-A', '-o', 'name')).not.toMatch(/cluster-credentials-/)
    const stored = JSON.parse(await gcloud(['secrets', 'list', '--filter=labels.mcfed-federation=mc-gitops', '--format=json'])) as {name: string; versionAliases?: Record<string, string>}[]
    expect(stored.map((s) => s.name.split('/').pop()).sort()).toEqual(['east-north', 'east-west', 'north-east', 'north-east-gw', 'north-west', 'west-east', 'west-east-gw', 'west-north'].map((l) => `mcfed-mc-gitops-${l}`))
    for (const s of stored) expect(Object.keys(s.versionAliases ?? {})).toEqual(['g1'])

    // The External Secrets stand-in: each ExternalSecret's Secret made from what gcloud reads (the issuer is mcfed's to write with install: external).
    for (const c of mesh.clusters) await syncExternalSecrets(mesh, c.name, gcloud, work, (name) => name.endsWith('-issuer'))
    // What the tree's Links name now holds credentials that work, with least privilege.
    const secret = JSON.parse(await mesh.kubectl('west', 'get', 'secret', '-n', 'linkerd-multicluster', 'cluster-credentials-east-g1', '-o', 'json'))
    const file = join(work, 'west-east.kubeconfig')
    writeFileSync(file, Buffer.from(secret.data.kubeconfig, 'base64'), {mode: 0o600})
    const canI = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', file, 'auth', 'can-i', ...args]).then((r) => r.stdout, (e: {stdout?: string}) => e.stdout ?? '')).trim()
    expect(await canI('list', 'services', '-A')).toBe('yes')
    expect(await canI('get', 'secrets', '-n', 'linkerd')).toBe('no')

    // mcfed's live plan of the same spec: the credentials and the Links are as it would have made them.
    const plan = JSON.parse((await mcfed('plan', '-f', spec(), '--format', 'json', '--layer', 'kube', '--gcp-endpoint', sim.url)).stdout) as {resource_changes: {address: string; kind: string; action: string}[]}
    const changed = plan.resource_changes.filter((r) => r.action !== 'no-op').map((r) => `${r.action} ${r.address}`)
    expect(changed.filter((c) => /linkerd_link(_credential)?\./.test(c))).toEqual([])
    // What Linkerd's own service-mirror controllers make of the rendered Links and the stand-in's Secrets.
    await waitForMirrors(mesh, SEED_MIRRORS)
  })

  // After the credentials: a Link edited while its Secret is missing makes Linkerd's service mirror
  // retry the failed events in order, and it can end on the stale spec (seen with edge-25.10.7).
  test('drift --gitops compares the live clusters with the tree: clean after the apply, then a hand edit and a missing object are named', {timeout: 300_000}, async () => {
    const tree = join(work, 'tree')
    const clean = await mcfed('drift', '-f', spec(), '--gitops', tree, '--no-color', '--gcp-endpoint', sim.url)
    expect(clean.code, clean.stdout + clean.stderr).toBe(0)
    expect(clean.stdout).toMatch(/No drift/)
    await mesh.kubectl('west', 'patch', 'links.multicluster.linkerd.io', 'east', '-n', 'linkerd-multicluster', '--type', 'merge', '-p', JSON.stringify({spec: {remoteDiscoverySelector: {matchLabels: {'mirror.linkerd.io/exported': 'by-hand'}}}}))
    await mesh.kubectl('east', 'delete', 'clusterrolebinding', 'mcfed-link-west-east')
    const drifted = await mcfed('drift', '-f', spec(), '--gitops', tree, '--no-color', '--gcp-endpoint', sim.url)
    expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2)
    expect(drifted.stdout).toMatch(/~ Link linkerd-multicluster\/east spec\.remoteDiscoverySelector\.matchLabels\.mirror\.linkerd\.io\/exported: the tree has "remote-discovery", the cluster "by-hand"/)
    expect(drifted.stdout).toMatch(/\+ ClusterRoleBinding mcfed-link-west-east missing/)
    expect(drifted.stdout).toMatch(/cluster north: \d+ objects as/)
    // What an engine's next sync does: the tree applied again, and nothing departs.
    for (const c of ['west', 'east']) await mesh.kubectl(c, 'apply', '--server-side', '--force-conflicts', '-k', join(tree, 'clusters', c))
    expect((await mcfed('drift', '-f', spec(), '--gitops', tree, '--gcp-endpoint', sim.url)).code).toBe(0)
  })
})
