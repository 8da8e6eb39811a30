import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, inject, test} from 'vitest'

import {mcfedAsync} from '../support/cli.js'
import {installLinkerdFromRenders, startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'

/**
 * Links written by mcfed against an externally installed Linkerd: the recorded 2.19 renders are
 * applied server-side as Helm or Argo CD would, then mcfed writes the Links, their credentials and
 * remote access. Clusters of this file's own, reached through kubeContext.
 */
const run = promisify(execFile)
const VERSION = 'edge-25.10.7'
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
const credentials = async (cluster: string, link: string, namespace = 'linkerd-multicluster') => {
  const secret = JSON.parse(await mesh.kubectl(cluster, 'get', 'secret', '-n', namespace, `cluster-credentials-${link}`, '-o', 'json'))
  return {secret, kubeconfig: Buffer.from(secret.data.kubeconfig, 'base64').toString('utf8')}
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
  mesh = await startMeshClusters(inject('kubeBin'), 'links')
  work = join(mesh.dir, 'work')
  mkdirSync(work)
  mcfed = (...args: string[]) => mcfedAsync(args, {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube'})
  await installLinkerdFromRenders(mesh, VERSION)
  const services = readFileSync('examples/three-region/services.yaml', 'utf8')
  writeFileSync(join(work, 'services.yaml'), services)
  await Promise.all(mesh.clusters.map((c) => mesh.kubectl(c.name, 'apply', '-f', join(work, 'services.yaml'))))
}, 600_000)

afterAll(async () => {
  await mesh?.stop()
})

describe('Links written by mcfed (install: external)', () => {
  test('apply writes exactly the 8 Links with least-privilege credentials; a second plan is empty', {timeout: 600_000}, async () => {
    const spec = writeSpec('federation.yaml', base)
    expect((await mcfed('certs', 'init', '-f', spec)).code).toBe(0)
    const applied = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)

    const names = Object.fromEntries(await Promise.all(['west', 'east', 'north'].map(async (c) => [c, (await links(c)).map((l) => l.metadata.name).sort()])))
    expect(names).toEqual({west: ['east', 'east-gw', 'north'], east: ['north', 'west'], north: ['east', 'east-gw', 'west']})

    const west = Object.fromEntries((await links('west')).map((l) => [l.metadata.name, l.spec]))
    expect(west.east).toMatchObject({
      targetClusterName: 'east',
      clusterCredentialsSecret: 'cluster-credentials-east',
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

    const again = await mcfed('plan', '-f', spec, '--detailed-exitcode', '--no-color')
    expect(again.code, again.stdout + again.stderr).toBe(0)
    for (const out of [applied, again]) expect(out.stdout + out.stderr).not.toMatch(/eyJ[\w-]{20,}/)
  })
})
