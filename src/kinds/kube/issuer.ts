import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {ISSUER_SECRET, LINKERD_NAMESPACE} from '../../linkerd/names.js'
import {reasonOf} from '../../providers/kube/errors.js'
import {issuerFacts} from '../../providers/kube/issuer.js'
import {liveTrustRoots} from '../../providers/kube/linkerd/read-trust.js'
import {secretValue} from '../../providers/kube/secret-data.js'
import {dropCertificates, storeIssuer} from '../../providers/kube/linkerd/store-certificates.js'
import {YEAR_MS, parseDuration} from '../../util/duration.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdIssuer: KubeKind<'linkerd_issuer'> = kubeKind('linkerd_issuer', {
  lists: ['owned-secrets', 'linkerd-config-maps'],

  observe({cluster, ownedSecrets, anchors, linkerdConfigMaps}, {spec}) {
    const secret = ownedSecrets.find((s) => s.metadata?.namespace === LINKERD_NAMESPACE && s.metadata?.name === ISSUER_SECRET)
    if (!secret) return {resources: [], diagnostics: []}
    const decode = (k: string) => secretValue(secret, k)
    try {
      // The chart's scheme (`crt.pem`, rendered by the control plane) or `kubernetes.io/tls` (written by mcfed for `install: external`).
      // Signed by the spec's anchor, trustAnchor.next, or (mid-rotation) another anchor the trust roots hold.
      const facts = issuerFacts(decode('crt.pem') ?? decode('tls.crt') ?? '', decode('ca.crt'), [...anchors, ...liveTrustRoots(linkerdConfigMaps)])
      const renewBefore = parseDuration(spec.spec.linkerd.issuer.renewBefore) ?? 0
      const data = secret.data ?? {}
      const resource: ObservedResource = {
        address: address('linkerd_issuer', cluster),
        kind: 'linkerd_issuer',
        name: cluster,
        cluster,
        owned: true,
        attributes: {
          namespace: LINKERD_NAMESPACE,
          secret: ISSUER_SECRET,
          ...facts,
          private_key: data['key.pem'] || data['tls.key'] ? 'present' : null,
          valid_beyond_renew_before: Date.parse(facts.not_after) - Date.now() > renewBefore,
          unique: true,
        },
      }
      return {resources: [resource], diagnostics: []}
    } catch (e) {
      const unreadable: Diagnostic = {
        severity: 'warning',
        rule: 'certs/issuer-unreadable',
        message: `the issuer Secret in ${cluster} holds no readable certificate: ${reasonOf(e)}`,
        locations: [],
        addresses: [address('linkerd_issuer', cluster)],
        hint: 'apply re-issues it',
      }
      return {resources: [], diagnostics: [unreadable]}
    }
  },

  /** Issuers shared between clusters: every one after the first must be re-issued. */
  relate(resources) {
    const first = new Map<string, string>()
    return resources.map((r) => {
      const fp = String(r.attributes.certificate_fingerprint)
      const owner = first.get(fp)
      if (!owner) {
        first.set(fp, r.cluster)
        return r
      }
      return {...r, attributes: {...r.attributes, unique: false, shares_certificate_with: owner}}
    })
  },

  async mutate(ctx, m, c) {
    const validityMs = parseDuration(String(c.after?.validity ?? '')) ?? YEAR_MS
    const from = typeof c.after?.anchor_fingerprint === 'string' ? c.after.anchor_fingerprint : undefined
    if (ctx.store) {
      // GitOps mode: the key goes to the secret store; the tree's ExternalSecret brings it to the cluster.
      const store = {open: ctx.store, owner: ctx.owner}
      if (m === 'delete') return dropCertificates(store, c.cluster, 'issuer')
      const issued = await ctx.secrets.issueIssuer(validityMs, from)
      return storeIssuer(store, c.cluster, {cert: issued.certPem, key: issued.keyPem, ca: issued.caPem})
    }
    if (ctx.install === 'mcfed') {
      // The issuer lives in the control plane's render: issuing it here hands the new key to the
      // control-plane step of this apply (which depends on it), never to a file or plan. Its
      // removal is the control plane's: the render that carried it is pruned with it.
      if (m !== 'delete') ctx.issued.set(c.cluster, await ctx.secrets.issueIssuer(validityMs, from))
      return
    }
    const object = {apiVersion: 'v1', kind: 'Secret', metadata: {name: ISSUER_SECRET, namespace: LINKERD_NAMESPACE, labels: {...ctx.owner}}}
    if (m === 'delete') return ctx.client.delete(object)
    await ctx.client.apply({apiVersion: 'v1', kind: 'Namespace', metadata: {name: LINKERD_NAMESPACE}}, false)
    const issued = await ctx.secrets.issueIssuer(validityMs, from)
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    // kubernetes.io/tls with ca.crt: the scheme Linkerd reads when the issuer is managed outside its chart.
    await ctx.client.apply({...object, type: 'kubernetes.io/tls', data: {'tls.crt': b64(issued.certPem), 'tls.key': b64(issued.keyPem), 'ca.crt': b64(issued.caPem)}} as typeof object, true)
  },
})
