import {readFileSync} from 'node:fs'

import {parse} from 'yaml'
import {beforeEach, describe, expect, test} from 'vitest'

import type {V1Secret, V1Service} from '@kubernetes/client-node'

import type {LinkObject} from '../../../../../src/providers/kube/client.js'
import {gatewayFacts} from '../../../../../src/providers/kube/linkerd/gateway.js'
import {linkKubeconfig} from '../../../../../src/providers/kube/linkerd/kubeconfig.js'
import {LINK_MODE_LABEL, LINK_TARGET_LABEL, markRevokedCredentials, observeLinks, selectorString} from '../../../../../src/providers/kube/linkerd/read-links.js'
import {controlPlaneVersion} from '../../../../../src/providers/kube/linkerd/read.js'
import {parseSpec} from '../../../../../src/spec/parse.js'
import {requireFixtures} from '../../../../support/linkerd.js'
import {fixture} from '../../../../support/linkerd-fixtures.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
const owner = {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo'}
const NOW = Date.parse('2027-01-01T00:00:00Z')

/** A token shaped as the TokenRequest API issues them (only the claims matter here). */
function token(exp: string, sa = 'mcfed-link-west-east', uid = 'uid-1'): string {
  const claims = {exp: Date.parse(exp) / 1000, sub: `system:serviceaccount:linkerd-multicluster:${sa}`, 'kubernetes.io': {namespace: 'linkerd-multicluster', serviceaccount: {name: sa, uid}}}
  return ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.')
}
function secrets(kubeconfig: string, copy: Partial<{label: string; annotations: boolean; kubeconfig: string}> = {}): V1Secret[] {
  const data = (k: string) => ({kubeconfig: Buffer.from(k).toString('base64')})
  return [
    {metadata: {name: 'cluster-credentials-east', namespace: 'linkerd-multicluster', labels: owner}, type: 'mirror.linkerd.io/remote-kubeconfig', data: data(kubeconfig)},
    {
      metadata: {
        name: 'cluster-credentials-east',
        namespace: 'linkerd',
        labels: {...owner, 'multicluster.linkerd.io/cluster-name': copy.label ?? 'east'},
        annotations: copy.annotations === false ? {} : {'multicluster.linkerd.io/trust-domain': 'cluster.local', 'multicluster.linkerd.io/cluster-domain': 'cluster.local'},
      },
      data: data(copy.kubeconfig ?? kubeconfig),
    },
  ]
}
/** The Links Linkerd's own controllers served, as the API returned them (recorded fixture). */
const recordedLinks = () => (parse(readFileSync(fixture('edge-25.10.7', 'observed-after-mirroring/west-links.yaml'), 'utf8')) as {items: LinkObject[]}).items
const ours = (link: LinkObject, target: string, mode: string): LinkObject => ({...link, metadata: {...link.metadata, labels: {...owner, [LINK_TARGET_LABEL]: target, [LINK_MODE_LABEL]: mode}}})

beforeEach((ctx) => requireFixtures(ctx))

describe('observed Links', () => {
  const flat = () => ours(recordedLinks().find((l) => l.metadata?.name === 'east')!, 'east', 'flat')
  const gw = () => ours(recordedLinks().find((l) => l.metadata?.name === 'east-gw')!, 'east', 'gateway')
  const kubeconfig = linkKubeconfig({link: 'east', server: 'https://127.0.0.1:6443', caPem: 'CA', user: 'mcfed-link-west-east', token: token('2027-03-31T00:00:00Z')})

  test('a flat Link maps to the attributes the desired graph uses, with its credentials facts', () => {
    const [r] = observeLinks('west', spec, [flat()], secrets(kubeconfig), NOW).resources
    expect(r).toMatchObject({address: 'linkerd_link.west/east', owned: true})
    expect(r!.attributes).toMatchObject({
      mode: 'flat',
      target_cluster: 'east',
      target_cluster_name: 'east',
      remote_access: 'mcfed-link-west-east',
      api_server: 'https://127.0.0.1:6443',
      credentials: 'present',
      credentials_expire: '2027-03-31T00:00:00.000Z',
      credentials_valid: true,
      selector: null,
      remote_discovery_selector: 'mirror.linkerd.io/exported=remote-discovery',
      federated_service_selector: 'mirror.linkerd.io/federated=member',
      gateway_address: null,
    })
  })

  test('a gateway Link carries the gateway fields the server stored, defaults aside', () => {
    const [r] = observeLinks('west', spec, [gw()], [], NOW).resources
    expect(r!.attributes).toMatchObject({mode: 'gateway', selector: 'mirror.linkerd.io/exported=true', gateway_address: '127.0.0.2', gateway_port: '4143', probe_path: '/ready', probe_port: '4191', probe_period: '3s', remote_discovery_selector: null})
    expect(r!.attributes.credentials_valid).toBe(false)
    expect(r!.attributes.credentials_problem).toContain('are missing')
  })

  test('a Link someone else wrote is observed as not owned, so the plan reports a conflict instead of taking it', () => {
    const [r] = observeLinks('west', spec, [recordedLinks()[0]!], [], NOW).resources
    expect(r!.owned).toBe(false)
  })

  test('credentials near expiry, or whose destination copy differs, are not valid, and the reason says why', () => {
    const soon = linkKubeconfig({link: 'east', server: 'https://x', caPem: 'CA', user: 'u', token: token('2027-01-10T00:00:00Z')})
    const near = observeLinks('west', spec, [flat()], secrets(soon), NOW).resources[0]!.attributes
    expect(near).toMatchObject({credentials_valid: false, credentials_problem: 'expire 2027-01-10T00:00:00.000Z, within renewBefore'})
    const noAnnotations = observeLinks('west', spec, [flat()], secrets(kubeconfig, {annotations: false}), NOW).resources[0]!.attributes
    expect(noAnnotations.credentials_problem).toContain("destination controller's copy")
    const otherCopy = observeLinks('west', spec, [flat()], secrets(kubeconfig, {kubeconfig: soon}), NOW).resources[0]!.attributes
    expect(otherCopy.credentials_valid).toBe(false)
  })

  test('a token whose ServiceAccount was deleted or recreated on the target is revoked', () => {
    const read = observeLinks('west', spec, [flat()], secrets(kubeconfig), NOW)
    expect(read.bindings).toEqual([{address: 'linkerd_link.west/east', target: 'east', serviceAccount: 'mcfed-link-west-east', uid: 'uid-1'}])
    const same = markRevokedCredentials(read.resources, read.bindings, () => 'uid-1')
    expect(same[0]!.attributes.credentials_valid).toBe(true)
    const gone = markRevokedCredentials(read.resources, read.bindings, () => undefined)
    expect(gone[0]!.attributes).toMatchObject({credentials_valid: false})
    expect(gone[0]!.attributes.credentials_problem).toContain('no longer exists')
    expect(markRevokedCredentials(read.resources, read.bindings, () => 'uid-2')[0]!.attributes.credentials_problem).toContain('recreated')
    // An unreadable target says nothing either way.
    expect(markRevokedCredentials(read.resources, read.bindings, () => null)[0]!.attributes.credentials_valid).toBe(true)
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
