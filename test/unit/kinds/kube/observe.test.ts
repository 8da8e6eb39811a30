import {X509Certificate} from 'node:crypto'
import {readFileSync} from 'node:fs'

import type {V1ConfigMap, V1Secret, V1Service} from '@kubernetes/client-node'
import {describe, expect, test} from 'vitest'

import {linkerdIssuer} from '../../../../src/kinds/kube/issuer.js'
import {linkerdRemoteAccess} from '../../../../src/kinds/kube/remote-access.js'
import {serviceLabel} from '../../../../src/kinds/kube/service-label.js'
import {linkerdTrustAnchor} from '../../../../src/kinds/kube/trust-anchor.js'
import type {ClusterListing} from '../../../../src/providers/kube/listing.js'
import {selfSignedCa, signed} from '../../../../src/providers/certs/x509.js'
import {parseSpec} from '../../../../src/spec/parse.js'

const text = readFileSync('examples/three-region/federation.yaml', 'utf8')
const withInstall = (install: string) => parseSpec('f.yaml', text.replace(/^(\s+)version: "2\.18".*$/m, `$&\n$1install: ${install}`), {}).spec!
const spec = withInstall('mcfed')
const external = withInstall('external')
const owner = {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo'}

/** One cluster's lists as the API returns them; nothing here calls a server. */
function listing(cluster: string, o: Partial<ClusterListing> = {}): ClusterListing {
  return {
    cluster,
    client: undefined as never,
    anchors: [],
    ownerLists: new Map(),
    services: new Map(),
    linkerdConfigMaps: [],
    trustSecrets: [],
    ownedSecrets: [],
    links: [],
    destination: [],
    credentialReaders: [],
    remoteAccess: {accounts: [], roles: [], bindings: []},
    policies: [],
    extension: {deployments: [], services: []},
    ...o,
  }
}

/** A Service as the API lists it, with mcfed's field manager owning its mode label when `managed`. */
function service(namespace: string, name: string, labels: Record<string, string>, managed: boolean): V1Service {
  const fields = Object.fromEntries(Object.keys(labels).map((k) => [`f:${k}`, {}]))
  return {
    metadata: {name, namespace, labels, managedFields: managed ? [{manager: 'mcfed', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {'f:metadata': {'f:labels': fields}}}] : []},
  }
}

const pem = (s: string) => Buffer.from(s).toString('base64')

describe('Kubernetes read mapping, kind by kind', () => {
  test('service_label: the mode label as listed; a spec service that does not exist is a warning, not a resource', () => {
    const services = new Map([['mc-demo/frontend', service('mc-demo', 'frontend', {'mirror.linkerd.io/federated': 'member', app: 'frontend'}, true)]])
    const {resources, diagnostics} = serviceLabel.observe(listing('west', {services}), {spec}) as Awaited<ReturnType<typeof serviceLabel.observe>>
    expect(resources).toEqual([
      {
        address: 'service_label.west/mc-demo/frontend',
        kind: 'service_label',
        name: 'west/mc-demo/frontend',
        cluster: 'west',
        owned: true,
        attributes: {namespace: 'mc-demo', service: 'frontend', label_key: 'mirror.linkerd.io/federated', label_value: 'member'},
      },
    ])
    const missing = Object.entries(spec.spec.services).filter(([name, s]) => s.clusters.includes('west') && name !== 'frontend')
    expect(diagnostics.map((d) => d.rule)).toEqual(missing.map(() => 'services/missing'))
  })

  test("service_label: a label mcfed's field manager set on a Service the spec dropped is observed (so it plans a delete); someone else's is not", () => {
    const services = new Map([
      ['old/ours', service('old', 'ours', {'mirror.linkerd.io/exported': 'true'}, true)],
      ['old/theirs', service('old', 'theirs', {'mirror.linkerd.io/exported': 'true'}, false)],
    ])
    const {resources} = serviceLabel.observe(listing('west', {services}), {spec}) as Awaited<ReturnType<typeof serviceLabel.observe>>
    expect(resources.map((r) => r.address)).toEqual(['service_label.west/old/ours'])
  })

  test('linkerd_trust_anchor: only the ConfigMap carrying this federation\'s labels, and only with install: external', async () => {
    const anchor = await selfSignedCa({commonName: 'root.linkerd.cluster.local', validityMs: 3_600_000, pathLength: 1})
    const roots = {metadata: {name: 'linkerd-identity-trust-roots', namespace: 'linkerd', labels: owner}, data: {'ca-bundle.crt': anchor.certPem}}
    const foreign = {...roots, metadata: {...roots.metadata, labels: {'mcfed.io/federation': 'other'}}}
    const withAnchor = (configMaps: V1ConfigMap[]) => listing('east', {linkerdConfigMaps: configMaps, anchors: [new X509Certificate(anchor.certPem)]})
    const ours = linkerdTrustAnchor.observe(withAnchor([roots]), {spec: external}) as Awaited<ReturnType<typeof linkerdTrustAnchor.observe>>
    expect(ours.resources).toHaveLength(1)
    expect(ours.resources[0]!.attributes.anchor_fingerprints).toEqual([expect.stringMatching(/^sha256:/)])
    expect((linkerdTrustAnchor.observe(withAnchor([foreign]), {spec: external}) as {resources: unknown[]}).resources).toEqual([])
    expect((linkerdTrustAnchor.observe(withAnchor([roots]), {spec}) as {resources: unknown[]}).resources).toEqual([])
  })

  test('linkerd_issuer: facts from either Secret scheme; a copied issuer is marked in every cluster after the first', async () => {
    const anchor = await selfSignedCa({commonName: 'root.linkerd.cluster.local', validityMs: 3_600_000, pathLength: 1})
    const issuer = await signed(anchor, {commonName: 'identity.linkerd.cluster.local', validityMs: 3_600_000, ca: true, pathLength: 0})
    const chart: V1Secret = {metadata: {name: 'linkerd-identity-issuer', namespace: 'linkerd', labels: owner}, data: {'crt.pem': pem(issuer.certPem), 'key.pem': pem(issuer.keyPem)}}
    const tls: V1Secret = {metadata: chart.metadata, type: 'kubernetes.io/tls', data: {'tls.crt': pem(issuer.certPem), 'tls.key': pem(issuer.keyPem), 'ca.crt': pem(anchor.certPem)}}
    const west = linkerdIssuer.observe(listing('west', {ownedSecrets: [chart]}), {spec}) as Awaited<ReturnType<typeof linkerdIssuer.observe>>
    const east = linkerdIssuer.observe(listing('east', {ownedSecrets: [tls]}), {spec}) as Awaited<ReturnType<typeof linkerdIssuer.observe>>
    expect(west.resources[0]!.attributes).toMatchObject({common_name: 'identity.linkerd.cluster.local', private_key: 'present', unique: true})
    // An hour of validity is inside the example's renewBefore.
    expect(west.resources[0]!.attributes.valid_beyond_renew_before).toBe(false)
    const related = linkerdIssuer.relate!([...west.resources, ...east.resources], new Map(), {spec})
    expect(related.map((r) => [r.cluster, r.attributes.unique, r.attributes.shares_certificate_with ?? null])).toEqual([
      ['west', true, null],
      ['east', false, 'west'],
    ])
    // A Secret with no certificate in it is a warning: apply re-issues it.
    const broken = linkerdIssuer.observe(listing('north', {ownedSecrets: [{...chart, data: {'crt.pem': pem('not a certificate')}}]}), {spec}) as Awaited<ReturnType<typeof linkerdIssuer.observe>>
    expect(broken.resources).toEqual([])
    expect(broken.diagnostics.map((d) => d.rule)).toEqual(['certs/issuer-unreadable'])
  })

  test('linkerd_remote_access: the account, role and binding mcfed labelled for a consumer link; with install: mcfed it goes before the extension', () => {
    const labels = {...owner, 'mcfed.io/link-consumer': 'west', 'mcfed.io/link': 'east'}
    const name = 'mcfed-link-west-east'
    const remoteAccess = {
      accounts: [{metadata: {name, namespace: 'linkerd-multicluster', labels, uid: 'u-1'}}],
      roles: [{metadata: {name, labels}, rules: [{apiGroups: [''], resources: ['services'], verbs: ['get']}]}],
      bindings: [{metadata: {name, labels}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name}, subjects: [{kind: 'ServiceAccount', name, namespace: 'linkerd-multicluster'}]}],
    }
    const {resources} = linkerdRemoteAccess.observe(listing('east', {remoteAccess}), {spec}) as Awaited<ReturnType<typeof linkerdRemoteAccess.observe>>
    expect(resources).toHaveLength(1)
    expect(resources[0]!.cluster).toBe('east')
    expect(resources[0]!.dependsOn).toContain('linkerd_multicluster.east')
  })
})
