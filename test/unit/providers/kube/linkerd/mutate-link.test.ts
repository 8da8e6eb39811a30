import type {KubernetesObject, V1Service} from '@kubernetes/client-node'
import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../../../src/graph/desired.js'
import {plan} from '../../../../../src/plan/planner.js'
import type {ResourceChange} from '../../../../../src/plan/types.js'
import type {KubeClient} from '../../../../../src/providers/kube/client.js'
import {mutateCredential} from '../../../../../src/providers/kube/linkerd/mutate-credential.js'
import {mutateLink} from '../../../../../src/providers/kube/linkerd/mutate-link.js'
import {parseSpec} from '../../../../../src/spec/parse.js'
import {readFileSync} from 'node:fs'

/** An in-memory cluster: records every write in order, serves the gateway Service it is given. */
function fakeCluster(gateway: () => V1Service | undefined) {
  const writes: string[] = []
  const objects = new Map<string, KubernetesObject>()
  const key = (o: KubernetesObject) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`
  const client = {
    listServices: async () => [gateway()].filter((s): s is V1Service => s !== undefined),
    createToken: async (ns: string, sa: string, seconds: number, bound?: {kind: string; name: string; uid: string}) => {
      writes.push(`token ${ns}/${sa} ${seconds}s${bound ? ` bound to ${bound.kind} ${bound.name} ${bound.uid}` : ''}`)
      return {token: 'e30.eyJleHAiOjE5MDAwMDAwMDB9.sig', expires: '2030-03-17T17:46:40.000Z'}
    },
    createIfMissing: async (o: KubernetesObject) => {
      writes.push(`create ${key(o)}`)
      if (!objects.has(key(o))) objects.set(key(o), {...o, metadata: {...o.metadata, uid: `uid-${o.metadata?.name}`}})
    },
    readObject: async (_apiVersion: string, kind: string, name: string, namespace?: string) => objects.get(`${kind} ${namespace ?? ''}/${name}`),
    endpoint: () => ({server: 'https://127.0.0.1:7443', caPem: 'CA'}),
    apply: async (o: KubernetesObject) => {
      writes.push(`apply ${key(o)}`)
      objects.set(key(o), o)
    },
    mergePatch: async (o: KubernetesObject) => void writes.push(`patch ${key(o)} ${JSON.stringify((o as {spec?: unknown}).spec)}`),
    delete: async (o: KubernetesObject) => void writes.push(`delete ${key(o)}`),
  } as unknown as KubeClient
  return {client, writes, objects}
}

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8').replace('version: "2.18"', 'version: "2.19"\n    install: external'), {}).spec!
const changes = plan({federation: 'mc-demo', project: 'p', mcfedVersion: 't', desired: desiredGraph(spec)}).resource_changes
const change = (address: string) => changes.find((c) => c.address === address)!
const gatewayService = (ip?: string): V1Service => ({
  metadata: {name: 'linkerd-gateway', annotations: {'mirror.linkerd.io/gateway-identity': 'gw.east.id', 'mirror.linkerd.io/probe-path': '/ready', 'mirror.linkerd.io/probe-period': '3'}},
  spec: {type: 'LoadBalancer', ports: [{name: 'mc-gateway', port: 4143}, {name: 'mc-probe', port: 4191}]},
  status: ip ? {loadBalancer: {ingress: [{ip}]}} : {},
})

/** The consumer holding generation `n` of the link's credentials, as issuing it left them. */
function holding(consumer: ReturnType<typeof fakeCluster>, link: string, n: number): void {
  const name = `cluster-credentials-${link}-g${n}`
  consumer.objects.set(`Secret linkerd-multicluster/${name}`, {apiVersion: 'v1', kind: 'Secret', metadata: {name, namespace: 'linkerd-multicluster'}, data: {kubeconfig: Buffer.from(`kubeconfig of generation ${n}`).toString('base64')}} as KubernetesObject)
}

describe('writing a Link', () => {
  test("the destination controller's copy of the named generation first, then the Link naming it; no token is issued here", async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => undefined)
    holding(consumer, 'east', 1)
    await mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 1_000}, 'create', change('linkerd_link.west/east'))
    expect(target.writes).toEqual([])
    expect(consumer.writes).toEqual(['apply Secret linkerd/cluster-credentials-east', 'apply Link linkerd-multicluster/east'])
    const copy = consumer.objects.get('Secret linkerd/cluster-credentials-east') as unknown as {data: {kubeconfig: string}; metadata: {labels: Record<string, string>; annotations: Record<string, string>}}
    expect(Buffer.from(copy.data.kubeconfig, 'base64').toString()).toBe('kubeconfig of generation 1')
    expect(copy.metadata.labels['multicluster.linkerd.io/cluster-name']).toBe('east')
    expect(copy.metadata.annotations).toEqual({'multicluster.linkerd.io/trust-domain': 'cluster.local', 'multicluster.linkerd.io/cluster-domain': 'cluster.local'})
    const link = consumer.objects.get('Link linkerd-multicluster/east') as unknown as {spec: Record<string, unknown>}
    expect(link.spec.clusterCredentialsSecret).toBe('cluster-credentials-east-g1')
    expect(Object.keys(link.spec).sort()).toEqual(['clusterCredentialsSecret', 'federatedServiceSelector', 'remoteDiscoverySelector', 'targetClusterDomain', 'targetClusterLinkerdNamespace', 'targetClusterName'])
  })

  test('a generation that is not there yet fails the step, before the Link names it', async () => {
    const consumer = fakeCluster(() => undefined)
    const write = mutateLink({consumer: consumer.client, target: async () => consumer.client, owner: {}, gatewayTimeoutMs: 1_000}, 'create', change('linkerd_link.west/east'))
    await expect(write).rejects.toThrow('the credentials the Link is to name (linkerd-multicluster/cluster-credentials-east-g1) are not in west')
    expect(consumer.writes).toEqual([])
  })

  test("a gateway link waits for the target gateway's address, then names it", async () => {
    let ip: string | undefined
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => gatewayService(ip))
    holding(consumer, 'east-gw', 1)
    setTimeout(() => (ip = '192.0.2.10'), 30)
    await mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 5_000, pollMs: 5}, 'create', change('linkerd_link.west/east-gw'))
    const link = consumer.objects.get('Link linkerd-multicluster/east-gw') as unknown as {spec: Record<string, unknown>}
    expect(link.spec).toMatchObject({gatewayAddress: '192.0.2.10', gatewayPort: '4143', gatewayIdentity: 'gw.east.id', probeSpec: {path: '/ready', port: '4191', period: '3s'}, selector: {matchLabels: {'mirror.linkerd.io/exported': 'true'}}})
    expect(link.spec).not.toHaveProperty('remoteDiscoverySelector')
  })

  test('no address in time: a clear failure naming the target and what to check, and no Link written', async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => gatewayService())
    holding(consumer, 'east-gw', 1)
    const write = mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 20, pollMs: 5}, 'create', change('linkerd_link.west/east-gw'))
    await expect(write).rejects.toThrow('the gateway of east (linkerd-multicluster/linkerd-gateway) has no external address after 0s')
    expect(consumer.writes.filter((w) => w.startsWith('apply Link'))).toEqual([])
  })

  test('an update removes stray fields whoever set them', async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => gatewayService('192.0.2.10'))
    holding(consumer, 'east', 1)
    const update: ResourceChange = {...change('linkerd_link.west/east'), action: 'update', changes: [{path: 'selector', before: 'mirror.linkerd.io/exported=true'}]}
    await mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 1_000}, 'update', update)
    expect(target.writes).toEqual([])
    expect(consumer.writes.slice(0, 2)).toEqual(['apply Secret linkerd/cluster-credentials-east', 'apply Link linkerd-multicluster/east'])
    expect(consumer.writes[2]).toMatch(/^patch Link linkerd-multicluster\/east .*"selector":null/)
  })

  test("deleting removes the Link, the destination controller's copy and the link's mirrors; its generations go as their own resources", async () => {
    const consumer = fakeCluster(() => undefined)
    const mirror = {metadata: {name: 'api-east', namespace: 'mc-demo'}}
    ;(consumer.client as {listServices: unknown}).listServices = async () => [mirror]
    const before = {...change('linkerd_link.west/east'), action: 'delete' as const, before: change('linkerd_link.west/east').after, after: null}
    await mutateLink({consumer: consumer.client, target: async () => consumer.client, owner: {}, gatewayTimeoutMs: 1_000}, 'delete', before)
    expect(consumer.writes).toEqual(['delete Link linkerd-multicluster/east', 'delete Secret linkerd/cluster-credentials-east', 'delete Service mc-demo/api-east'])
  })
})

describe('issuing and revoking a credential generation', () => {
  test('issue: the reader grant in the consumer, a Secret on the target, a token bound to it, the consumer Secret the Link will name', async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => undefined)
    await mutateCredential({consumer: consumer.client, target: async () => target.client, owner: {}}, 'create', change('linkerd_link_credential.west/east/g1'))
    expect(target.writes).toEqual(['create Secret linkerd-multicluster/mcfed-link-west-east-g1', `token linkerd-multicluster/mcfed-link-west-east ${2160 * 3600}s bound to Secret mcfed-link-west-east-g1 uid-mcfed-link-west-east-g1`])
    expect(consumer.writes).toEqual(['apply Role linkerd-multicluster/mcfed-read-cluster-credentials-east-g1', 'apply RoleBinding linkerd-multicluster/mcfed-read-cluster-credentials-east-g1', 'apply Secret linkerd-multicluster/cluster-credentials-east-g1'])
    const role = consumer.objects.get('Role linkerd-multicluster/mcfed-read-cluster-credentials-east-g1') as unknown as {rules: unknown[]}
    expect(role.rules).toEqual([{apiGroups: [''], resources: ['secrets'], resourceNames: ['cluster-credentials-east-g1'], verbs: ['get']}])
    const binding = consumer.objects.get('RoleBinding linkerd-multicluster/mcfed-read-cluster-credentials-east-g1') as unknown as {subjects: unknown[]}
    expect(binding.subjects).toEqual([{kind: 'ServiceAccount', name: 'controller-east', namespace: 'linkerd-multicluster'}])
  })

  test('revoke: the bound Secret on the target first (the token dies with it), then what the consumer holds', async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => undefined)
    const c = change('linkerd_link_credential.west/east/g1')
    await mutateCredential({consumer: consumer.client, target: async () => target.client, owner: {}}, 'delete', {...c, action: 'delete', before: c.after, after: null})
    expect(target.writes).toEqual(['delete Secret linkerd-multicluster/mcfed-link-west-east-g1'])
    expect(consumer.writes).toEqual(['delete RoleBinding linkerd-multicluster/mcfed-read-cluster-credentials-east-g1', 'delete Role linkerd-multicluster/mcfed-read-cluster-credentials-east-g1', 'delete Secret linkerd-multicluster/cluster-credentials-east-g1'])
  })
})
