import type {KubernetesObject, V1Service} from '@kubernetes/client-node'
import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../../../src/graph/desired.js'
import {plan} from '../../../../../src/plan/planner.js'
import type {ResourceChange} from '../../../../../src/plan/types.js'
import type {KubeClient} from '../../../../../src/providers/kube/client.js'
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
    createToken: async (ns: string, sa: string, seconds: number) => {
      writes.push(`token ${ns}/${sa} ${seconds}s`)
      return {token: 'e30.eyJleHAiOjE5MDAwMDAwMDB9.sig', expires: '2030-03-17T17:46:40.000Z'}
    },
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

describe('writing a Link', () => {
  test("credentials before the Link: a token for the link's own ServiceAccount, in both Secrets", async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => undefined)
    await mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 1_000}, 'create', change('linkerd_link.west/east'))
    expect(target.writes).toEqual([`token linkerd-multicluster/mcfed-link-west-east ${2160 * 3600}s`])
    expect(consumer.writes).toEqual(['apply Secret linkerd-multicluster/cluster-credentials-east', 'apply Secret linkerd/cluster-credentials-east', 'apply Link linkerd-multicluster/east'])
    const link = consumer.objects.get('Link linkerd-multicluster/east') as unknown as {spec: Record<string, unknown>}
    expect(Object.keys(link.spec).sort()).toEqual(['clusterCredentialsSecret', 'federatedServiceSelector', 'remoteDiscoverySelector', 'targetClusterDomain', 'targetClusterLinkerdNamespace', 'targetClusterName'])
  })

  test("a gateway link waits for the target gateway's address, then names it", async () => {
    let ip: string | undefined
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => gatewayService(ip))
    setTimeout(() => (ip = '192.0.2.10'), 30)
    await mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 5_000, pollMs: 5}, 'create', change('linkerd_link.west/east-gw'))
    const link = consumer.objects.get('Link linkerd-multicluster/east-gw') as unknown as {spec: Record<string, unknown>}
    expect(link.spec).toMatchObject({gatewayAddress: '192.0.2.10', gatewayPort: '4143', gatewayIdentity: 'gw.east.id', probeSpec: {path: '/ready', port: '4191', period: '3s'}, selector: {matchLabels: {'mirror.linkerd.io/exported': 'true'}}})
    expect(link.spec).not.toHaveProperty('remoteDiscoverySelector')
  })

  test('no address in time: a clear failure naming the target and what to check, and no Link written', async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => gatewayService())
    const write = mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 20, pollMs: 5}, 'create', change('linkerd_link.west/east-gw'))
    await expect(write).rejects.toThrow('the gateway of east (linkerd-multicluster/linkerd-gateway) has no external address after 0s')
    expect(consumer.writes.filter((w) => w.startsWith('apply Link'))).toEqual([])
  })

  test('an update that leaves the credentials alone writes only the Link, and removes stray fields', async () => {
    const consumer = fakeCluster(() => undefined)
    const target = fakeCluster(() => gatewayService('192.0.2.10'))
    const update: ResourceChange = {...change('linkerd_link.west/east'), action: 'update', changes: [{path: 'selector', before: 'mirror.linkerd.io/exported=true'}]}
    await mutateLink({consumer: consumer.client, target: async () => target.client, owner: {}, gatewayTimeoutMs: 1_000}, 'update', update)
    expect(target.writes).toEqual([])
    expect(consumer.writes[0]).toBe('apply Link linkerd-multicluster/east')
    expect(consumer.writes[1]).toMatch(/^patch Link linkerd-multicluster\/east .*"selector":null/)
  })

  test("deleting removes the Link, both Secrets and the link's mirrors", async () => {
    const consumer = fakeCluster(() => undefined)
    const mirror = {metadata: {name: 'api-east', namespace: 'mc-demo'}}
    ;(consumer.client as {listServices: unknown}).listServices = async () => [mirror]
    const before = {...change('linkerd_link.west/east'), action: 'delete' as const, before: change('linkerd_link.west/east').after, after: null}
    await mutateLink({consumer: consumer.client, target: async () => consumer.client, owner: {}, gatewayTimeoutMs: 1_000}, 'delete', before)
    expect(consumer.writes).toEqual(['delete Link linkerd-multicluster/east', 'delete Secret linkerd-multicluster/cluster-credentials-east', 'delete Secret linkerd/cluster-credentials-east', 'delete Service mc-demo/api-east'])
  })
})
