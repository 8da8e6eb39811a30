import {X509Certificate} from 'node:crypto'

import {address} from '../../graph/resource.js'
import {LINKERD_NAMESPACE, TRUST_ROOTS_CONFIG_MAP, TRUST_ROOTS_KEY} from '../../linkerd/names.js'
import {certificateFingerprint} from '../../providers/certs/fingerprint.js'
import {isOwned} from '../../providers/kube/labels.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdTrustAnchor: KubeKind<'linkerd_trust_anchor'> = kubeKind('linkerd_trust_anchor', {
  lists: ['linkerd-config-maps'],

  observe({cluster, linkerdConfigMaps, anchor}, {spec}) {
    // With `install: mcfed` the trust roots belong to the control plane's render, not to a resource of their own.
    if (spec.spec.linkerd.install !== 'external') return {resources: [], diagnostics: []}
    const roots = linkerdConfigMaps.find((c) => c.metadata?.name === TRUST_ROOTS_CONFIG_MAP && isOwned(c.metadata?.labels, spec.metadata.name))
    if (!roots) return {resources: [], diagnostics: []}
    const resource = {
      address: address('linkerd_trust_anchor', cluster),
      kind: 'linkerd_trust_anchor' as const,
      name: cluster,
      cluster,
      owned: true,
      attributes: {namespace: LINKERD_NAMESPACE, config_map: TRUST_ROOTS_CONFIG_MAP, anchor_fingerprint: bundleAnchor(roots.data?.[TRUST_ROOTS_KEY] ?? '', anchor)},
    }
    return {resources: [resource], diagnostics: []}
  },

  async mutate({client, owner, secrets}, m) {
    const object = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: TRUST_ROOTS_CONFIG_MAP, namespace: LINKERD_NAMESPACE, labels: {...owner}}}
    if (m === 'delete') return client.delete(object)
    await client.apply({apiVersion: 'v1', kind: 'Namespace', metadata: {name: LINKERD_NAMESPACE}}, false)
    await client.apply({...object, data: {[TRUST_ROOTS_KEY]: await secrets.anchorCertificatePem()}} as typeof object, true)
  },
})

/** The spec's anchor if the bundle contains it, else the first certificate's fingerprint. */
function bundleAnchor(bundle: string, anchor: X509Certificate | undefined): string {
  const certs = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  const prints = certs.flatMap((pem) => {
    try {
      return [certificateFingerprint(new X509Certificate(pem))]
    } catch {
      return []
    }
  })
  if (anchor && prints.includes(certificateFingerprint(anchor))) return certificateFingerprint(anchor)
  return prints[0] ?? 'none'
}
