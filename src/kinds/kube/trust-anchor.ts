import {address} from '../../graph/resource.js'
import {LINKERD_NAMESPACE, TRUST_ROOTS_CONFIG_MAP, TRUST_ROOTS_KEY} from '../../linkerd/names.js'
import {certificateFingerprint} from '../../providers/certs/fingerprint.js'
import type {SecretsPort} from '../../providers/certs/secrets-port.js'
import type {KubeClient} from '../../providers/kube/client.js'
import {isOwned} from '../../providers/kube/labels.js'
import {liveTrustRoots} from '../../providers/kube/linkerd/read-trust.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdTrustAnchor: KubeKind<'linkerd_trust_anchor'> = kubeKind('linkerd_trust_anchor', {
  lists: ['linkerd-config-maps'],

  observe({cluster, linkerdConfigMaps}, {spec}) {
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
      attributes: {namespace: LINKERD_NAMESPACE, config_map: TRUST_ROOTS_CONFIG_MAP, anchor_fingerprints: liveTrustRoots([roots]).map(certificateFingerprint)},
    }
    return {resources: [resource], diagnostics: []}
  },

  async mutate({client, owner, secrets}, m, c) {
    const object = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: TRUST_ROOTS_CONFIG_MAP, namespace: LINKERD_NAMESPACE, labels: {...owner}}}
    if (m === 'delete') return client.delete(object)
    await client.apply({apiVersion: 'v1', kind: 'Namespace', metadata: {name: LINKERD_NAMESPACE}}, false)
    const bundle = await trustRootsPem(client, secrets, (c.after?.anchor_fingerprints ?? []) as string[])
    await client.apply({...object, data: {[TRUST_ROOTS_KEY]: bundle}} as typeof object, true)
  },
})

/** The PEM bundle of these anchors; the spec's anchor alone when the plan names none (made offline). */
export async function trustRootsPem(client: KubeClient, secrets: SecretsPort, fingerprints: readonly string[]): Promise<string> {
  if (fingerprints.length === 0) return secrets.anchorCertificatePem()
  const live = (await client.readObject('v1', 'ConfigMap', TRUST_ROOTS_CONFIG_MAP, LINKERD_NAMESPACE)) as {data?: Record<string, string>} | undefined
  return secrets.bundlePem(fingerprints, live?.data?.[TRUST_ROOTS_KEY] ?? '')
}
