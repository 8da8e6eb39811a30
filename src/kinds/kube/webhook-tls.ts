import {address, type ObservedResource} from '../../graph/resource.js'
import {LINKERD_NAMESPACE, WEBHOOK_CA_COMMON_NAME, WEBHOOK_TLS} from '../../linkerd/names.js'
import {certificateFingerprint, parseCertificate} from '../../providers/certs/fingerprint.js'
import {selfSignedCa, signed} from '../../providers/certs/x509.js'
import {secretValue} from '../../providers/kube/secret-data.js'
import {dropCertificates, storeWebhooks} from '../../providers/kube/linkerd/store-certificates.js'
import {parseDuration} from '../../util/duration.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdWebhookTls: KubeKind<'linkerd_webhook_tls'> = kubeKind('linkerd_webhook_tls', {
  lists: ['owned-secrets'],

  /** Which of the webhook Secrets exist, and their CA's facts. */
  observe({cluster, ownedSecrets}, {spec}) {
    if (spec.spec.linkerd.install !== 'mcfed') return {resources: [], diagnostics: []}
    const present = WEBHOOK_TLS.map((w) => ownedSecrets.find((s) => s.metadata?.namespace === LINKERD_NAMESPACE && s.metadata?.name === w.secret))
    if (present.every((s) => !s)) return {resources: [], diagnostics: []}
    const cas = new Set(present.map((s) => secretValue(s, 'ca.crt') ?? ''))
    const ca = parseCertificate(secretValue(present[0], 'ca.crt'))
    const leafEnds = present.map((s) => parseCertificate(secretValue(s, 'tls.crt'))?.validTo).filter((d): d is string => d !== undefined)
    const notAfter = leafEnds.length > 0 ? new Date(Math.min(...leafEnds.map((d) => Date.parse(d)))).toISOString() : null
    const renewBefore = parseDuration(spec.spec.linkerd.issuer.renewBefore) ?? 0
    const now = Date.now()
    const resource: ObservedResource = {
      address: address('linkerd_webhook_tls', cluster),
      kind: 'linkerd_webhook_tls',
      name: cluster,
      cluster,
      owned: true,
      attributes: {
        namespace: LINKERD_NAMESPACE,
        secrets: WEBHOOK_TLS.filter((_, i) => present[i]).map((w) => w.secret),
        // One CA for all three, as the one caBundle per webhook expects.
        ca_fingerprint: ca && cas.size === 1 ? certificateFingerprint(ca) : null,
        not_after: notAfter,
        valid_beyond_renew_before: notAfter !== null && Date.parse(notAfter) - now > renewBefore,
      },
    }
    return {resources: [resource], diagnostics: []}
  },

  /**
   * Issues a new webhook CA and the three serving certificates it signs, and stores them as the
   * `kubernetes.io/tls` Secrets the chart's Deployments mount. The CA key is not kept: renewal issues
   * a new CA with new certificates, and the control plane's `caBundle` follows.
   */
  async mutate({client, owner, certificateValidityMs, store}, mutation, change) {
    const secret = (name: string) => ({apiVersion: 'v1', kind: 'Secret', metadata: {name, namespace: LINKERD_NAMESPACE, labels: {...owner}}})
    const certificateStore = store && {open: store, owner}
    if (mutation === 'delete') {
      if (certificateStore) return dropCertificates(certificateStore, change.cluster, 'webhooks')
      for (const w of WEBHOOK_TLS) await client.delete(secret(w.secret))
      return
    }
    const validityMs = certificateValidityMs
    const ca = await selfSignedCa({commonName: WEBHOOK_CA_COMMON_NAME, validityMs, pathLength: 0})
    if (certificateStore) {
      // GitOps mode: one store version holds the CA and all three; the tree pins it beside the CA bundle it renders.
      const leaves = await Promise.all(WEBHOOK_TLS.map((w) => serving(ca, w.service, validityMs)))
      return storeWebhooks(certificateStore, change.cluster, Object.fromEntries(WEBHOOK_TLS.map((w, i) => [w.secret, {cert: leaves[i]!.certPem, key: leaves[i]!.keyPem, ca: ca.certPem}])))
    }
    // The control plane's render owns the Namespace; creating it (not applying it) leaves its fields to that render.
    await client.createIfMissing({apiVersion: 'v1', kind: 'Namespace', metadata: {name: LINKERD_NAMESPACE}})
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    for (const w of WEBHOOK_TLS) {
      const leaf = await serving(ca, w.service, validityMs)
      await client.apply({...secret(w.secret), type: 'kubernetes.io/tls', data: {'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem), 'ca.crt': b64(ca.certPem)}} as ReturnType<typeof secret>, true)
    }
  },
})

/** A webhook Service's serving certificate, for the name the API server calls it by. */
function serving(ca: Awaited<ReturnType<typeof selfSignedCa>>, service: string, validityMs: number) {
  const dns = `${service}.${LINKERD_NAMESPACE}.svc`
  return signed(ca, {commonName: dns, validityMs, ca: false, dnsNames: [dns]})
}
