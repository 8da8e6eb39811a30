import {readFileSync} from 'node:fs'

import {parse} from 'yaml'
import {beforeEach, describe, expect, test} from 'vitest'

import type {V1Secret, V1Service} from '@kubernetes/client-node'

import type {LinkObject} from '../../../../../src/providers/kube/client.js'
import {gatewayFacts} from '../../../../../src/providers/kube/linkerd/gateway.js'
import {LINK_MODE_LABEL, LINK_TARGET_LABEL, observeLinks, selectorString} from '../../../../../src/providers/kube/linkerd/read-links.js'
import {controlPlaneVersion} from '../../../../../src/providers/kube/linkerd/read.js'
import {parseSpec} from '../../../../../src/spec/parse.js'
import {requireFixtures} from '../../../../support/linkerd.js'
import {fixture} from '../../../../support/linkerd-fixtures.js'
import {destinationCopy, generationSecret, owner} from '../../../../support/credentials.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
/** The Links Linkerd's own controllers served, as the API returned them (recorded fixture). */
const recordedLinks = () => (parse(readFileSync(fixture('edge-25.10.7', 'observed-after-mirroring/west-links.yaml'), 'utf8')) as {items: LinkObject[]}).items
const ours = (link: LinkObject, target: string, mode: string, generation = 2): LinkObject => ({
  ...link,
  metadata: {...link.metadata, labels: {...owner, [LINK_TARGET_LABEL]: target, [LINK_MODE_LABEL]: mode}},
  spec: {...link.spec, clusterCredentialsSecret: `cluster-credentials-${link.metadata?.name}-g${generation}`},
})

beforeEach((ctx) => requireFixtures(ctx))

describe('observed Links', () => {
  const flat = (generation?: number) => ours(recordedLinks().find((l) => l.metadata?.name === 'east')!, 'east', 'flat', generation)
  const gw = () => ours(recordedLinks().find((l) => l.metadata?.name === 'east-gw')!, 'east', 'gateway')
  const g2 = generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: '2027-03-31T00:00:00Z'})

  test('a flat Link maps to the attributes the desired graph uses: the generation it names, and the copy that holds it', () => {
    const [r] = observeLinks('west', spec, [flat()], [g2, destinationCopy('east', g2)])
    expect(r).toMatchObject({address: 'linkerd_link.west/east', owned: true, dependsOn: ['linkerd_link_credential.west/east/g2']})
    expect(r!.attributes).toMatchObject({
      mode: 'flat',
      target_cluster: 'east',
      target_cluster_name: 'east',
      credentials_secret: 'cluster-credentials-east-g2',
      credentials_generation: 2,
      destination_copy: 'generation 2',
      trust_domain: 'cluster.local',
      selector: null,
      remote_discovery_selector: 'mirror.linkerd.io/exported=remote-discovery',
      federated_service_selector: 'mirror.linkerd.io/federated=member',
      gateway_address: null,
    })
  })

  test('a gateway Link carries the gateway fields the server stored, defaults aside', () => {
    const [r] = observeLinks('west', spec, [gw()], [])
    expect(r!.attributes).toMatchObject({mode: 'gateway', selector: 'mirror.linkerd.io/exported=true', gateway_address: '127.0.0.2', gateway_port: '4143', probe_path: '/ready', probe_port: '4191', probe_period: '3s', remote_discovery_selector: null})
    expect(r!.attributes.destination_copy).toBe('missing')
  })

  test('a Link someone else wrote is observed as not owned, so the plan reports a conflict instead of taking it', () => {
    const [r] = observeLinks('west', spec, [recordedLinks()[0]!], [])
    expect(r!.owned).toBe(false)
  })

  test("the destination controller's copy counts only when it holds the named generation, labelled and annotated as the destination controller needs", () => {
    const g1 = generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 1, expires: '2027-02-01T00:00:00Z'})
    const copy = (secret: V1Secret, o: Parameters<typeof destinationCopy>[2] = {}) => observeLinks('west', spec, [flat()], [g1, g2, destinationCopy('east', secret, o)])[0]!.attributes.destination_copy
    expect(copy(g2)).toBe('generation 2')
    // Still the previous generation: rewritten in place by the next apply, read when the controller restarts.
    expect(copy(g1)).toBe('differs from the generation the Link names')
    expect(copy(g2, {annotations: false})).toBe('differs from the generation the Link names')
    expect(copy(g2, {label: 'other'})).toBe('differs from the generation the Link names')
    // Credentials from before generations: the Link names cluster-credentials-east, generation 0.
    const legacy = {...flat(), spec: {...flat().spec, clusterCredentialsSecret: 'cluster-credentials-east'}}
    expect(observeLinks('west', spec, [legacy], [])[0]!.attributes.credentials_generation).toBe(0)
  })

  test('selectors print as Kubernetes writes them', () => {
    expect(selectorString({matchLabels: {b: '2', a: '1'}})).toBe('a=1,b=2')
    expect(selectorString({matchExpressions: [{key: 'x', operator: 'In', values: ['1', '2']}, {key: 'y', operator: 'Exists'}]})).toBe('x in (1,2),y')
    expect(selectorString({})).toBeNull()
    expect(selectorString(undefined)).toBeNull()
  })
})

describe('facts read from the target', () => {
  const gatewayService = () =>
    readFileSync(fixture('edge-25.10.7', 'multicluster-east.yaml'), 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d) as V1Service | null)
      .find((d) => d?.kind === 'Service' && d.metadata?.name === 'linkerd-gateway')!

  test("the gateway as Linkerd's own render describes it, with the load balancer's address", () => {
    const gateway = gatewayService()
    expect(gatewayFacts([gateway])).toEqual({address: undefined, identity: 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local', port: '4143', probePort: '4191', probePath: '/ready', probePeriod: '3s'})
    const withAddress = {...gateway, status: {loadBalancer: {ingress: [{ip: '192.0.2.10'}, {hostname: 'gw.example'}]}}}
    expect(gatewayFacts([withAddress])?.address).toBe('192.0.2.10,gw.example')
    expect(gatewayFacts([])).toBeUndefined()
  })

  test("the control plane's version from the rendered linkerd-config", () => {
    const cp = readFileSync(fixture('edge-25.10.7', 'control-plane-external-issuer.yaml'), 'utf8')
    const config = cp
      .split(/^---$/m)
      .map((d) => parse(d) as {kind?: string; metadata?: {name?: string}} | null)
      .find((d) => d?.kind === 'ConfigMap' && d.metadata?.name === 'linkerd-config')
    expect(controlPlaneVersion([config as never])).toBe('edge-25.10.7')
    expect(controlPlaneVersion([])).toBeUndefined()
  })
})
