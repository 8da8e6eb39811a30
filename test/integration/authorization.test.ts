import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {mcfedAsync} from '../support/cli.js'
import {fixture} from '../support/linkerd-fixtures.js'
import {fixturesPresent, requireFixtures} from '../support/linkerd.js'
import {startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'

/**
 * Authorization from the spec on three real API servers holding Linkerd 2.19's CRDs (as its own
 * CLI rendered them): `api` admits only frontend from north. Exactly a Server, a
 * MeshTLSAuthentication and an AuthorizationPolicy in each cluster where api runs, a second plan
 * empty, a hand-edited MeshTLSAuthentication drift that apply repairs, and the objects pruned
 * once the rule goes.
 */
let mesh: MeshClusters
let allow: string
let open: string
const TARGETS = ['--target', 'linkerd_authorization.west/mc-demo/api', '--target', 'linkerd_authorization.east/mc-demo/api']
const mcfed = (...args: string[]) => mcfedAsync([...args, '--no-color'], {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube'})
const POLICY = 'servers.policy.linkerd.io,meshtlsauthentications.policy.linkerd.io,authorizationpolicies.policy.linkerd.io'
const policies = async (cluster: string) => JSON.parse(await mesh.kubectl(cluster, 'get', POLICY, '-n', 'mc-demo', '-o', 'json')).items as {kind: string; metadata: {name: string}; spec: Record<string, unknown>}[]

beforeAll(async () => {
  if (!fixturesPresent()) return
  mesh = await startMeshClusters(inject('kubeBin'), 'authz')
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  await Promise.all(mesh.clusters.map((c) => mesh.kubectl(c.name, 'apply', '--server-side', '-f', fixture('edge-25.10.7', 'crds.yaml'))))
  await Promise.all(mesh.clusters.map((c) => mesh.kubectl(c.name, 'apply', '-f', 'examples/three-region/services.yaml')))
  const base = readFileSync('examples/three-region/federation.yaml', 'utf8')
    .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
    .replace('version: "2.18"', 'version: "2.19"\n    install: external')
  const rule = '      clusters: [west, east]     # where the service runs and is exported from\n'
  open = join(work, 'open.yaml')
  allow = join(work, 'federation.yaml')
  writeFileSync(open, base)
  writeFileSync(allow, base.replace(rule, `${rule}      ports: [8080]\n      allow:\n        - {serviceAccount: frontend, namespace: mc-demo, clusters: [north]}\n`))
  expect((await mcfed('certs', 'init', '-f', allow)).code).toBe(0)
}, 600_000)

afterAll(async () => {
  await mesh?.stop()
})

beforeEach((ctx) => requireFixtures(ctx))

describe('authorization from the spec, on Linkerd’s CRDs', () => {
  test('three objects per cluster where api runs; a second plan is empty; a hand edit is drift, repaired; removing the rule prunes them', {timeout: 300_000}, async () => {
    const planned = await mcfed('plan', '-f', allow, ...TARGETS)
    expect(planned.code, planned.stdout + planned.stderr).toBe(0)
    expect(planned.stdout).toContain('! every other caller → east/mc-demo/api:8080: denied (no Server restricted the port before)')
    expect(planned.stdout).toContain('+ north/mc-demo/frontend → west/mc-demo/api:8080: allowed')
    expect(planned.stdout).toContain('warning[authorization/shared-trust-domain]')

    const applied = await mcfed('apply', '-f', allow, '--auto-approve', ...TARGETS)
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    for (const cluster of ['west', 'east']) {
      const objects = await policies(cluster)
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['AuthorizationPolicy/api-8080', 'MeshTLSAuthentication/api-8080', 'Server/api-8080'])
      expect(objects.find((o) => o.kind === 'MeshTLSAuthentication')!.spec).toEqual({identities: ['frontend.mc-demo.serviceaccount.identity.linkerd.cluster.local']})
      expect(objects.find((o) => o.kind === 'Server')!.spec).toMatchObject({podSelector: {matchLabels: {app: 'api'}}, port: 8080, accessPolicy: 'deny'})
    }
    expect(await policies('north')).toEqual([])
    // Linkerd itself is not installed here, which the plan reports as findings: the resources are what must not change.
    const actions = async (spec: string) => (JSON.parse((await mcfed('plan', '-f', spec, '--format', 'json', ...TARGETS)).stdout).resource_changes as {address: string; action: string}[]).map((c) => `${c.action} ${c.address}`)
    expect(await actions(allow)).toEqual(['no-op linkerd_authorization.west/mc-demo/api', 'no-op linkerd_authorization.east/mc-demo/api'])

    await mesh.kubectl('east', 'patch', 'meshtlsauthentications.policy.linkerd.io', '-n', 'mc-demo', 'api-8080', '--type', 'merge', '-p', '{"spec":{"identities":["*"]}}')
    const drift = await mcfed('plan', '-f', allow, ...TARGETS)
    expect(await actions(allow)).toEqual(['no-op linkerd_authorization.west/mc-demo/api', 'update linkerd_authorization.east/mc-demo/api'])
    expect(drift.stdout).toContain('~ linkerd_authorization.east/mc-demo/api')
    expect(drift.stdout).toContain('- identities set by hand (*) → east/mc-demo/api:8080: denied')
    expect((await mcfed('apply', '-f', allow, '--auto-approve', ...TARGETS)).code).toBe(0)
    expect(await actions(allow)).toEqual(['no-op linkerd_authorization.west/mc-demo/api', 'no-op linkerd_authorization.east/mc-demo/api'])
    expect((await policies('east')).find((o) => o.kind === 'MeshTLSAuthentication')!.spec).toEqual({identities: ['frontend.mc-demo.serviceaccount.identity.linkerd.cluster.local']})

    const pruning = await mcfed('plan', '-f', open, ...TARGETS)
    expect(pruning.stdout).toContain('+ every caller → east/mc-demo/api:8080: allowed (its Server goes)')
    expect(pruning.stdout).toContain('Plan: 0 to add, 0 to change, 0 to replace, 2 to destroy.')
    const pruned = await mcfed('apply', '-f', open, '--auto-approve', ...TARGETS)
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0)
    expect(await policies('west')).toEqual([])
    expect(await policies('east')).toEqual([])
  })
})
