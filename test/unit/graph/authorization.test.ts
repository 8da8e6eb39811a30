import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {admitted, meshIdentity} from '../../../src/graph/authorization.js'
import {desiredGraph} from '../../../src/graph/desired.js'
import {linkerdAuthorization} from '../../../src/kinds/kube/authorization.js'
import {controlPlaneSettings} from '../../../src/linkerd/install/values.js'
import {policyObjects} from '../../../src/linkerd/policy.js'
import type {ClusterListing} from '../../../src/providers/kube/listing.js'
import {parseSpec} from '../../../src/spec/parse.js'

const base = readFileSync('examples/three-region/federation.yaml', 'utf8')

/** The three-region example with api admitting only frontend from north, and north in a trust domain of its own. */
function specWith(o: {northDomain?: string; allow?: string; mode?: string} = {}) {
  let text = base.replace(/(      mode: flat {17}# label mirror.linkerd.io\/exported=remote-discovery\n      clusters: \[west, east\].*\n)/, `$1      ports: [8080]\n      allow:\n${o.allow ?? '        - {serviceAccount: frontend, namespace: mc-demo, clusters: [north]}'}\n`)
  if (o.northDomain) text = text.replace(/(    north:\n)/, `$1      trustDomain: ${o.northDomain}\n`)
  if (o.mode) text = text.replace('mode: flat                 # label mirror.linkerd.io/exported=remote-discovery', `mode: ${o.mode}`)
  const parsed = parseSpec('f.yaml', text, {})
  expect(parsed.diagnostics).toEqual([])
  return parsed.spec!
}

describe('identities of callers, as they arrive', () => {
  it("are Linkerd's identity of the caller's ServiceAccount in the trust domain its control plane is rendered with", () => {
    const spec = specWith({northDomain: 'north.mc-demo.example'})
    // The trust domain north's control plane is rendered with is the one its identities carry.
    const rendered = controlPlaneSettings(spec, 'north').identityTrustDomain
    expect(rendered).toBe('north.mc-demo.example')
    expect(controlPlaneSettings(spec, 'west').identityTrustDomain).toBeUndefined()
    const expected = meshIdentity('frontend', 'mc-demo', String(rendered))
    expect(expected).toBe('frontend.mc-demo.serviceaccount.identity.linkerd.north.mc-demo.example')
    for (const cluster of ['west', 'east']) {
      expect(admitted(spec, 'api', cluster)).toEqual([{port: 8080, identities: [expected], callers: ['north/mc-demo/frontend']}])
    }
  })

  it('a gateway caller admits the gateway of the cluster the service runs in, in that cluster’s trust domain', () => {
    const spec = specWith({mode: 'gateway', allow: '        - {serviceAccount: frontend, namespace: mc-demo, clusters: [north], viaGateway: true}'})
    expect(admitted(spec, 'api', 'east')).toEqual([{port: 8080, identities: ['linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local'], callers: ["north/mc-demo/frontend via east's gateway"]}])
  })

  it('callers from every cluster by default, each with the identity of its own trust domain; a caller limited to other ports adds nothing', () => {
    const spec = specWith({northDomain: 'north.example', allow: '        - {serviceAccount: web, namespace: shop}\n        - {serviceAccount: batch, namespace: shop, ports: [9090]}'})
    const [port] = admitted(spec, 'api', 'east')
    expect(port!.identities).toEqual(['web.shop.serviceaccount.identity.linkerd.cluster.local', 'web.shop.serviceaccount.identity.linkerd.north.example'])
    expect(port!.callers).toEqual(['east/shop/web', 'north/shop/web', 'west/shop/web'])
  })
})

describe('the policy objects of a service in a cluster', () => {
  const spec = specWith()
  const resources = desiredGraph(spec).filter((r) => r.kind === 'linkerd_authorization')
  const owner = {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo'}

  it('one per cluster where the service runs: a Server, a MeshTLSAuthentication and an AuthorizationPolicy', () => {
    expect(resources.map((r) => r.address)).toEqual(['linkerd_authorization.west/mc-demo/api', 'linkerd_authorization.east/mc-demo/api'])
    const objects = policyObjects(resources[1]!.attributes, owner)
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'policy.linkerd.io/v1beta3 Server mc-demo/api-8080',
      'policy.linkerd.io/v1alpha1 MeshTLSAuthentication mc-demo/api-8080',
      'policy.linkerd.io/v1alpha1 AuthorizationPolicy mc-demo/api-8080',
    ])
    expect(objects[0]!.spec).toEqual({podSelector: {matchLabels: {app: 'api'}}, port: 8080, accessPolicy: 'deny'})
    expect(objects[1]!.spec).toEqual({identities: ['frontend.mc-demo.serviceaccount.identity.linkerd.cluster.local']})
    expect(objects[2]!.spec).toEqual({
      targetRef: {group: 'policy.linkerd.io', kind: 'Server', name: 'api-8080'},
      requiredAuthenticationRefs: [{group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'api-8080'}],
    })
  })

  it('read back as the attributes they were written from; an unbound MeshTLSAuthentication admits nobody', async () => {
    const desired = resources[1]!
    const objects = policyObjects(desired.attributes, owner)
    const listing = {cluster: 'east', policies: objects} as unknown as ClusterListing
    const observed = (await linkerdAuthorization.observe(listing, {spec})).resources
    expect(observed).toEqual([{address: desired.address, kind: 'linkerd_authorization', name: desired.name, cluster: 'east', owned: true, attributes: desired.attributes}])
    const unbound = {cluster: 'east', policies: objects.filter((o) => o.kind !== 'AuthorizationPolicy')} as unknown as ClusterListing
    const ports = (await linkerdAuthorization.observe(unbound, {spec})).resources[0]!.attributes.ports as {identities: string[]}[]
    expect(ports[0]!.identities).toEqual([])
  })
})
