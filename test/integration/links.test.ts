import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {parseSpec} from '../../src/spec/parse.js'
import {requestsByVerb} from '../support/apiserver-requests.js'
import {mcfedAsync} from '../support/cli.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {installLinkerdExternally, installMulticluster, startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'
import {SEED_MIRRORS, federatedMembers, mirrorsOf, waitForMirrors} from '../support/mirrors.js'
import {until} from '../support/until.js'

/**
 * Links written by mcfed against an externally installed Linkerd: Linkerd's own 2.19 CLI renders
 * what Helm or Argo CD would apply, Linkerd's own controllers run for its pods, then mcfed writes
 * the Links, their credentials and remote access, and the tests watch what the controllers do with
 * them. Clusters of this file's own, reached through kubeContext.
 */
const run = promisify(execFile)
const linkerd = linkerdBinaries(L219)
let mesh: MeshClusters
let work: string
let mcfed: (...args: string[]) => ReturnType<typeof mcfedAsync>

const base = readFileSync('examples/three-region/federation.yaml', 'utf8')
  .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
  .replace('version: "2.18"', 'version: "2.19"\n    install: external')
function writeSpec(name: string, text: string): string {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}

const links = async (cluster: string) =>
  JSON.parse(await mesh.kubectl(cluster, 'get', 'links.multicluster.linkerd.io', '-n', 'linkerd-multicluster', '-o', 'json')).items as {
    metadata: {name: string; labels: Record<string, string>}
    spec: Record<string, unknown>
  }[]
/** The credentials the Link names (the service mirror's), or with `linkerd` the destination controller's copy. */
const credentials = async (cluster: string, link: string, namespace = 'linkerd-multicluster') => {
  const named = (await links(cluster)).find((l) => l.metadata.name === link)!.spec.clusterCredentialsSecret as string
  const secret = JSON.parse(await mesh.kubectl(cluster, 'get', 'secret', '-n', namespace, namespace === 'linkerd' ? `cluster-credentials-${link}` : named, '-o', 'json'))
  return {secret, name: named, kubeconfig: Buffer.from(secret.data.kubeconfig, 'base64').toString('utf8')}
}
/** `kubectl auth can-i` as a link's credentials: yes or no, never an error. */
const canI = async (kubeconfigFile: string, ...args: string[]) => {
  try {
    return (await run('kubectl', ['--kubeconfig', kubeconfigFile, 'auth', 'can-i', ...args])).stdout.trim()
  } catch (e) {
    return String((e as {stdout?: string}).stdout ?? '').trim() || String((e as {stderr?: string}).stderr ?? '').trim()
  }
}

beforeAll(async () => {
  if (!linkerd.ok || !linkerd.cli) return
  mesh = await startMeshClusters(inject('kubeBin'), 'links', {linkerd: true})
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  mcfed = (...args: string[]) => mcfedAsync(args, {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube'})
  const spec = writeSpec('federation.yaml', base)
  expect((await mcfed('certs', 'init', '-f', spec)).code).toBe(0)
  await installLinkerdExternally(mesh, {cli: linkerd.cli, spec: parseSpec(spec, base, {}).spec!, anchorPem: readFileSync(join(work, 'certs', 'root.crt'), 'utf8')})
  const services = readFileSync('examples/three-region/services.yaml', 'utf8')
  writeFileSync(join(work, 'services.yaml'), services)
  await Promise.all(mesh.clusters.map((c) => mesh.kubectl(c.name, 'apply', '-f', join(work, 'services.yaml'))))
}, 900_000)

beforeEach((ctx) => void requireLinkerd(ctx, L219))

afterAll(async () => {
  await mesh?.stop()
})

describe('Links written by mcfed (install: external)', () => {
  test('apply writes exactly the 8 Links with least-privilege credentials, Linkerd\'s controllers mirror through them; a second plan is empty', {timeout: 600_000}, async () => {
    const spec = join(work, 'federation.yaml')
    const applied = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)

    const names = Object.fromEntries(await Promise.all(['west', 'east', 'north'].map(async (c) => [c, (await links(c)).map((l) => l.metadata.name).sort()])))
    expect(names).toEqual({west: ['east', 'east-gw', 'north'], east: ['north', 'west'], north: ['east', 'east-gw', 'west']})

    const west = Object.fromEntries((await links('west')).map((l) => [l.metadata.name, l.spec]))
    expect(west.east).toMatchObject({
      targetClusterName: 'east',
      clusterCredentialsSecret: 'cluster-credentials-east-g1',
      remoteDiscoverySelector: {matchLabels: {'mirror.linkerd.io/exported': 'remote-discovery'}},
      federatedServiceSelector: {matchLabels: {'mirror.linkerd.io/federated': 'member'}},
    })
    for (const absent of ['selector', 'gatewayAddress', 'gatewayPort', 'gatewayIdentity']) expect(west.east).not.toHaveProperty(absent)
    const gatewayIp = (await mesh.kubectl('east', 'get', 'svc', '-n', 'linkerd-multicluster', 'linkerd-gateway', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')).trim()
    expect(gatewayIp).toMatch(/^192\.0\.2\.\d+$/)
    expect(west['east-gw']).toMatchObject({
      targetClusterName: 'east-gw',
      selector: {matchLabels: {'mirror.linkerd.io/exported': 'true'}},
      gatewayAddress: gatewayIp,
      gatewayPort: '4143',
      gatewayIdentity: 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local',
      probeSpec: expect.objectContaining({path: '/ready', port: '4191', period: '3s'}),
    })
    for (const absent of ['remoteDiscoverySelector', 'federatedServiceSelector']) expect(west['east-gw']).not.toHaveProperty(absent)

    // The destination controller's copy, and the credentials' rights on the target.
    const {secret: copy, kubeconfig} = await credentials('west', 'east', 'linkerd')
    expect(copy.type).toBe('mirror.linkerd.io/remote-kubeconfig')
    expect(copy.metadata.labels['multicluster.linkerd.io/cluster-name']).toBe('east')
    expect(copy.metadata.annotations).toMatchObject({'multicluster.linkerd.io/trust-domain': 'cluster.local', 'multicluster.linkerd.io/cluster-domain': 'cluster.local'})
    expect((await credentials('west', 'east')).kubeconfig).toBe(kubeconfig)
    const file = join(work, 'west-east.kubeconfig')
    writeFileSync(file, kubeconfig, {mode: 0o600})
    expect(await canI(file, 'list', 'services', '-A')).toBe('yes')
    expect(await canI(file, 'watch', 'endpointslices.discovery.k8s.io', '-A')).toBe('yes')
    expect(await canI(file, 'get', 'configmap/linkerd-config', '-n', 'linkerd')).toBe('yes')
    expect(await canI(file, 'get', 'secrets', '-n', 'linkerd')).toBe('no')
    expect(await canI(file, 'list', 'secrets', '-A')).toBe('no')
    expect(await canI(file, 'create', 'deployments', '-n', 'default')).toBe('no')
    expect(await canI(file, 'create', 'services', '-n', 'default')).toBe('no')
    expect(await canI(file, 'get', 'configmap/other', '-n', 'linkerd')).toBe('no')

    // Apply waited for Linkerd's controllers to join each federated member: no member lost to their
    // race on creating frontend-federated (see FederationJoins), so every cluster counts all three now.
    for (const c of ['west', 'east', 'north']) expect(await federatedMembers(mesh, c, 'frontend-federated'), c).toEqual(['east', 'north', 'west'])
    // What Linkerd's own controllers made of the Links: the seed's mirrors in every cluster.
    await waitForMirrors(mesh, SEED_MIRRORS)
    expect(await mirrorsOf(mesh, 'west')).toEqual(SEED_MIRRORS.west)

    const again = await mcfed('plan', '-f', spec, '--detailed-exitcode', '--no-color')
    expect(again.code, again.stdout + again.stderr).toBe(0)
    for (const out of [applied, again]) expect(out.stdout + out.stderr).not.toMatch(/eyJ[\w-]{20,}/)
  })

  test('a Kubernetes-only apply holds the federation lease, here a Lease in the first cluster: held by another run, apply is refused', {timeout: 300_000}, async () => {
    const spec = join(work, 'federation.yaml')
    const now = Date.now()
    const foreign = {holder: 'someone@elsewhere:42', operation: 'apply', acquired_at: new Date(now).toISOString(), expires_at: new Date(now + 300_000).toISOString()}
    const lease = {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: 'mcfed-lock-mc-demo', namespace: 'kube-system', annotations: {'mcfed.io/lease': JSON.stringify(foreign)}}, spec: {holderIdentity: foreign.holder}}
    writeFileSync(join(work, 'lease.json'), JSON.stringify(lease))
    await mesh.kubectl('east', 'apply', '-f', join(work, 'lease.json'))
    const locked = await mcfed('apply', '-f', spec, '--auto-approve', '--lock-timeout', '0s')
    expect(locked.code, locked.stdout + locked.stderr).toBe(1)
    expect(locked.stderr).toContain('federation mc-demo is locked by someone@elsewhere:42')
    expect(locked.stderr).toContain('Lease kube-system/mcfed-lock-mc-demo of cluster east')
    await mesh.kubectl('east', 'delete', 'lease', '-n', 'kube-system', 'mcfed-lock-mc-demo')
    // Taken and given back: after an apply no Lease is left behind.
    const applied = await mcfed('apply', '-f', spec, '--auto-approve')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(await mesh.kubectl('east', 'get', 'lease', '-n', 'kube-system', '--ignore-not-found', 'mcfed-lock-mc-demo')).toBe('')
  })

  test('a Link written the way link-gen writes it is drift, and apply removes the selector a gateway link must not carry', {timeout: 300_000}, async () => {
    const spec = join(work, 'federation.yaml')
    await mesh.kubectl('west', 'patch', 'links.multicluster.linkerd.io', 'east-gw', '-n', 'linkerd-multicluster', '--type=merge', '-p', JSON.stringify({spec: {remoteDiscoverySelector: {matchLabels: {'mirror.linkerd.io/exported': 'remote-discovery'}}}}))
    const drift = await mcfed('drift', '-f', spec, '--no-color')
    expect(drift.code, drift.stdout + drift.stderr).toBe(2)
    expect(drift.stdout).toContain('# linkerd_link.west/east-gw will be updated in place')
    expect(drift.stdout).toContain('- remote_discovery_selector = "mirror.linkerd.io/exported=remote-discovery" -> null')
    const before = (await credentials('west', 'east-gw')).kubeconfig
    expect((await mcfed('apply', '-f', spec, '--auto-approve')).code).toBe(0)
    const link = (await links('west')).find((l) => l.metadata.name === 'east-gw')!
    expect(link.spec).not.toHaveProperty('remoteDiscoverySelector')
    // Only the Link changed: its credentials were not re-issued.
    expect((await credentials('west', 'east-gw')).kubeconfig).toBe(before)
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)
  })

  test('a no-op plan reads each cluster with fourteen LISTs and no GET', {timeout: 120_000}, async () => {
    const spec = join(work, 'federation.yaml')
    const counts = async () => requestsByVerb(await mesh.kubectl('west', 'get', '--raw', '/metrics'))
    const before = await counts()
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)
    const after = await counts()
    // Thirteen for labels, issuers, Links and credentials (the issuer's Secret alone first, for the
    // fleet's trust, then all of mcfed's); one for mcfed's Linkerd Servers (none here, so no more).
    expect((after.LIST ?? 0) - (before.LIST ?? 0)).toBe(14)
    expect((after.GET ?? 0) - (before.GET ?? 0)).toBe(0)
  })

  test('a Link without its service-mirror controller is drift that names the link and the values entry to add', {timeout: 300_000}, async () => {
    const spec = join(work, 'federation.yaml')
    await mesh.kubectl('west', 'delete', 'deployment', '-n', 'linkerd-multicluster', 'controller-east-gw')
    const plan = await mcfed('plan', '-f', spec, '--detailed-exitcode', '--no-color')
    expect(plan.code, plan.stdout + plan.stderr).toBe(2)
    expect(plan.stdout + plan.stderr).toContain('Link east-gw in west has no service-mirror controller: nothing will be mirrored')
    expect(plan.stdout + plan.stderr).toContain('controllers: [{link: {ref: {name: east-gw}}}]')
    expect(plan.stdout + plan.stderr).toContain('mcfed cannot fix this with install: external')
    const json = JSON.parse((await mcfed('plan', '-f', spec, '--format', 'json')).stdout)
    expect(json.diagnostics).toContainEqual(expect.objectContaining({rule: 'linkerd/missing-controller', drift: true, addresses: ['linkerd_link.west/east-gw']}))
    expect((await mcfed('drift', '-f', spec)).code).toBe(2)
    // With install: external apply says it cannot fix it, rather than trying.
    const apply = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(apply.code).toBe(0)
    expect(apply.stderr).toContain('apply cannot fix 1 finding (linkerd/missing-controller)')
    // The installer puts it back; the finding goes away, and the controller mirrors again.
    await mesh.kubectl('west', 'delete', 'svc', '-n', 'mc-demo', 'analytics-east-gw')
    await installMulticluster(mesh, {cli: linkerd.ok ? linkerd.cli! : '', spec: parseSpec(spec, readFileSync(spec, 'utf8'), {}).spec!}, 'west')
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)
    await waitForMirrors(mesh, {west: SEED_MIRRORS.west!})
  })

  test('credentials within renewBefore move to a new generation, with the expiry the API server granted in the reason; the old one is revoked', {timeout: 300_000}, async () => {
    const spec = join(work, 'federation.yaml')
    // Renewing ten seconds into a 90-day token: every generation is due as soon as it is issued.
    const renew = writeSpec('renew.yaml', base.replace('    trustAnchor:', '    linkCredentials: {validity: 2160h, renewBefore: 2159h59m50s}\n    trustAnchor:'))
    const drift = await mcfed('drift', '-f', renew, '--no-color')
    expect(drift.code, drift.stdout + drift.stderr).toBe(2)
    const plan = await mcfed('plan', '-f', renew, '--detailed-exitcode', '--no-color')
    expect(plan.code, plan.stdout + plan.stderr).toBe(2)
    expect(plan.stdout).toMatch(/# linkerd_link_credential\.west\/east\/g2 will be created \(renews generation 1, whose credentials expire 20\d\d-\d\d-\d\dT[\d:.]+Z, within renewBefore\)/)
    expect(plan.stdout).toContain('# linkerd_link.west/east will be updated in place (moves to credential generation 2)')
    expect(plan.stdout).toMatch(/# linkerd_link_credential\.west\/east\/g1 will be destroyed \(revoked once no Link and no destination controller uses it/)
    expect(plan.stdout).toContain('Plan: 8 to add, 11 to change, 0 to replace, 8 to destroy.')
    const old = await credentials('west', 'east')
    const oldFile = join(work, 'west-east-g1.kubeconfig')
    writeFileSync(oldFile, old.kubeconfig, {mode: 0o600})
    expect((await mcfed('apply', '-f', renew, '--auto-approve')).code).toBe(0)
    const renewed = await credentials('west', 'east')
    expect(renewed.name).toBe('cluster-credentials-east-g2')
    expect((await credentials('west', 'east', 'linkerd')).kubeconfig).toBe(renewed.kubeconfig)
    // The old token is refused within the API server's token cache (ten seconds); the new one has the rights and no more.
    await until('the replaced token is refused', async () => (await run('kubectl', ['--kubeconfig', oldFile, 'get', 'services', '-A']).then(() => false, () => true)), 30_000)
    const newFile = join(work, 'west-east-g2.kubeconfig')
    writeFileSync(newFile, renewed.kubeconfig, {mode: 0o600})
    expect(await canI(newFile, 'list', 'services', '-A')).toBe('yes')
    expect(await canI(newFile, 'list', 'secrets', '-A')).toBe('no')
    // Back on the spec's renewBefore: generation 2 is kept.
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)
    await waitForMirrors(mesh, SEED_MIRRORS)
  })

  test('removing a link deletes its remote access on the target, which revokes its token, and nothing else', {timeout: 300_000}, async () => {
    const spec = join(work, 'federation.yaml')
    const fewer = writeSpec(
      'fewer.yaml',
      base.replace(
        '  links: full-mesh',
        '  links:\n    - {from: west, to: east}\n    - {from: east, to: west}\n    - {from: east, to: north}\n    - {from: north, to: west}\n    - {from: north, to: east}',
      ),
    )
    expect((await mcfed('apply', '-f', spec, '--auto-approve')).code).toBe(0)
    const revoked = join(work, 'west-north.kubeconfig')
    writeFileSync(revoked, (await credentials('west', 'north')).kubeconfig, {mode: 0o600})
    const kept = join(work, 'east-north.kubeconfig')
    writeFileSync(kept, (await credentials('east', 'north')).kubeconfig, {mode: 0o600})
    expect(await canI(revoked, 'list', 'services', '-A')).toBe('yes')

    const plan = await mcfed('plan', '-f', fewer, '--no-color')
    expect(plan.stdout).toContain('# linkerd_link.west/north will be destroyed')
    expect(plan.stdout).toContain('# linkerd_remote_access.north/west/north will be destroyed')
    expect(plan.stdout).toMatch(/# linkerd_link_credential\.west\/north\/g\d+ will be destroyed/)
    // west's destination controller restarts without the link's credentials.
    expect(plan.stdout).toContain('# linkerd_destination_credentials.west will be updated in place')
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to replace, 3 to destroy.')
    const applied = await mcfed('apply', '-f', fewer, '--auto-approve')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)

    expect((await links('west')).map((l) => l.metadata.name).sort()).toEqual(['east', 'east-gw'])
    // Apply outlasted the API server's token cache: the old token no longer authenticates at all.
    await expect(run('kubectl', ['--kubeconfig', revoked, 'get', 'services', '-A'])).rejects.toThrow(/Unauthorized|must be logged in/)
    expect(await canI(kept, 'list', 'services', '-A')).toBe('yes')
    // west still runs controller-north from its installer's values: reported, with the fix.
    const after = await mcfed('plan', '-f', fewer, '--detailed-exitcode', '--no-color')
    expect(after.code).toBe(2)
    expect(after.stdout + after.stderr).toContain('linkerd-multicluster/controller-north in west serves Link north, which neither exists nor is in the spec')
    expect(after.stdout).toContain('No resource changes, but the estate differs from the spec: 1 finding above that apply does not fix.')
  })
})
