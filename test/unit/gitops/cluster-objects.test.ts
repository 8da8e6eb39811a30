import {describe, expect, test} from 'vitest'

import type {DesiredResource, ResourceKind} from '../../../src/graph/resource.js'
import {clusterObjects, type ClusterComponents, type ClusterObjectsContext} from '../../../src/gitops/cluster-objects.js'
import type {KubeObject} from '../../../src/linkerd/install/manifests.js'

const resource = (kind: ResourceKind): DesiredResource => ({address: `${kind}.west`, kind, name: 'west', cluster: 'west', attributes: {}, unknown: [], inputs: {}, dependsOn: [], replacedWith: []})
const deployment: KubeObject = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'linkerd-destination', namespace: 'linkerd'}}
const context = (components: ClusterComponents): ClusterObjectsContext => ({federation: 'fed', owner: {'mcfed.io/federation': 'fed'}, store: 'gcp-secret-manager', anchorPem: () => undefined, components: () => components})
const objectsOf = (r: ReturnType<typeof clusterObjects>) => ('objects' in r ? r.objects : [])

describe('Linkerd components and their certificates in a cluster tree', () => {
  test('a component is what the CLI rendered; one it could not render says why', () => {
    const ctx = context({rendered: {'control-plane': [deployment]}, notRendered: {multicluster: 'no usable linkerd CLI'}, values: {}})
    expect(objectsOf(clusterObjects(resource('linkerd_control_plane'), ctx))).toEqual([deployment])
    expect(clusterObjects(resource('linkerd_multicluster'), ctx)).toEqual({skipped: 'no usable linkerd CLI'})
  })

  test('a render holding a Secret with data stays out whole; a token Secret the cluster fills is kept', () => {
    const keyed: KubeObject = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'linkerd-identity-issuer', namespace: 'linkerd'}, data: {'key.pem': 'LS0t'}}
    const token: KubeObject = {apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: {name: 'remote-access-token', namespace: 'linkerd-multicluster'}}
    expect(clusterObjects(resource('linkerd_control_plane'), context({rendered: {'control-plane': [deployment, keyed]}, notRendered: {}, values: {}}))).toMatchObject({skipped: expect.stringMatching(/Secret linkerd\/linkerd-identity-issuer/)})
    expect(objectsOf(clusterObjects(resource('linkerd_multicluster'), context({rendered: {multicluster: [token]}, notRendered: {}, values: {}})))).toEqual([token])
  })

  test('webhook Secrets come pinned to the store version whose CA the control plane carries, each key by a property without dots', () => {
    const secrets = objectsOf(clusterObjects(resource('linkerd_webhook_tls'), context({rendered: {}, notRendered: {}, values: {}, webhookVersion: 7})))
    expect(secrets.map((o) => o.metadata.name)).toEqual(['linkerd-proxy-injector-k8s-tls', 'linkerd-sp-validator-k8s-tls', 'linkerd-policy-validator-k8s-tls'])
    const data = (secrets[0]!.spec as {data: {secretKey: string; remoteRef: {key: string; version: string; property: string}}[]}).data
    expect(data).toContainEqual({secretKey: 'tls.key', remoteRef: {key: 'mcfed-fed-west-webhooks', version: '7', property: 'linkerd-proxy-injector-k8s-tls.tls_key'}})
    expect(clusterObjects(resource('linkerd_webhook_tls'), context({rendered: {}, notRendered: {}, values: {}}))).toMatchObject({skipped: expect.stringMatching(/apply --layer credentials/)})
  })

  test('the issuer follows the store\'s latest version (Linkerd\'s identity reloads it), read again hourly', () => {
    const [issuer] = objectsOf(clusterObjects(resource('linkerd_issuer'), context({rendered: {}, notRendered: {}, values: {}})))
    const spec = issuer!.spec as {refreshInterval: string; data: {secretKey: string; remoteRef: {version: string; property: string}}[]}
    expect(spec.refreshInterval).toBe('1h')
    expect(spec.data.map((d) => `${d.secretKey}=${d.remoteRef.property}@${d.remoteRef.version}`)).toEqual(['ca.crt=ca_crt@latest', 'tls.crt=tls_crt@latest', 'tls.key=tls_key@latest'])
  })
})
