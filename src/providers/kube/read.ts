import {X509Certificate} from 'node:crypto'

import type {V1Service} from '@kubernetes/client-node'

import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {LINKERD_NAMESPACE} from '../../graph/desired-linkerd.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {parseDuration} from '../../util/duration.js'
import type {FederationSpec} from '../../spec/types.js'
import {FIELD_MANAGER, reasonOf, type KubeClient} from './client.js'
import {certificateFingerprint} from '../certs/fingerprint.js'
import {issuerFacts} from './issuer.js'
import {MODE_LABEL_KEYS, ownerSelector} from './labels.js'

export interface ClusterRead {
  readonly resources: ObservedResource[]
  readonly diagnostics: Diagnostic[]
}

/**
 * One cluster's mcfed objects in a constant number of list calls: Services carrying a mode label
 * (one existence selector per label key, across all namespaces, so a Service whose namespace left
 * the spec is still seen), and mcfed's ConfigMaps and Secrets in the Linkerd namespace. Only a
 * Service the spec names but the lists lack costs a GET: it is unlabelled (drift) or missing.
 */
export async function readCluster(client: KubeClient, spec: FederationSpec, cluster: string, anchor: X509Certificate | undefined): Promise<ClusterRead> {
  const services = Object.entries(spec.spec.services).filter(([, s]) => s.clusters.includes(cluster))
  const selector = ownerSelector(spec)
  const [labelled, configMaps, secrets] = await Promise.all([
    Promise.all(MODE_LABEL_KEYS.map((key) => client.listLabelledServices(key))),
    client.listConfigMaps(LINKERD_NAMESPACE, selector),
    client.listSecrets(LINKERD_NAMESPACE, selector),
  ])
  const key = (ns: string | undefined, name: string | undefined) => `${ns}/${name}`
  const live = new Map(labelled.flat().map((s) => [key(s.metadata?.namespace, s.metadata?.name), s]))
  const unlabelled = services.filter(([name, s]) => !live.has(key(s.namespace, name)))
  await Promise.all(
    unlabelled.map(async ([name, s]) => {
      const svc = await client.getService(s.namespace, name)
      if (svc) live.set(key(s.namespace, name), svc)
    }),
  )
  const resources: ObservedResource[] = []
  const diagnostics: Diagnostic[] = []
  for (const [name, s] of services) {
    const svc = live.get(key(s.namespace, name))
    const addr = address('service_label', `${cluster}/${s.namespace}/${name}`)
    if (!svc) {
      diagnostics.push({
        severity: 'warning',
        rule: 'services/missing',
        message: `Service ${s.namespace}/${name} does not exist in ${cluster}, so mcfed cannot label it`,
        locations: [],
        addresses: [addr],
        hint: 'mcfed labels services, it does not deploy them: deploy the app to this cluster, or remove the cluster from the service in the spec',
      })
      continue
    }
    resources.push(labelResource(cluster, s.namespace, name, svc))
  }
  // Mode labels mcfed set earlier on Services the spec no longer names: removing them is a delete.
  for (const svc of live.values()) {
    const name = svc.metadata?.name ?? ''
    const ns = svc.metadata?.namespace ?? ''
    if (services.some(([n, s]) => n === name && s.namespace === ns) || !ownsModeLabel(svc)) continue
    resources.push(labelResource(cluster, ns, name, svc))
  }
  const roots = configMaps.find((c) => c.metadata?.name === 'linkerd-identity-trust-roots')
  if (roots) {
    resources.push({
      address: address('linkerd_trust_anchor', cluster),
      kind: 'linkerd_trust_anchor',
      name: cluster,
      cluster,
      owned: true,
      attributes: {namespace: LINKERD_NAMESPACE, config_map: 'linkerd-identity-trust-roots', anchor_fingerprint: bundleAnchor(roots.data?.['ca-bundle.crt'] ?? '', anchor)},
    })
  }
  const issuer = secrets.find((s) => s.metadata?.name === 'linkerd-identity-issuer')
  if (issuer) {
    const data = issuer.data ?? {}
    const decode = (k: string) => (data[k] ? Buffer.from(data[k]!, 'base64').toString('utf8') : undefined)
    try {
      const facts = issuerFacts(decode('tls.crt') ?? '', decode('ca.crt'), anchor)
      const renewBefore = parseDuration(spec.spec.linkerd.issuer.renewBefore) ?? 0
      const fresh = Date.parse(facts.not_after) - Date.now() > renewBefore
      resources.push({
        address: address('linkerd_issuer', cluster),
        kind: 'linkerd_issuer',
        name: cluster,
        cluster,
        owned: true,
        attributes: {
          namespace: LINKERD_NAMESPACE,
          secret: 'linkerd-identity-issuer',
          ...facts,
          private_key: data['tls.key'] ? 'present' : null,
          valid_beyond_renew_before: fresh ? true : `no: expires ${facts.not_after}`,
          unique: true,
        },
      })
    } catch (e) {
      diagnostics.push({
        severity: 'warning',
        rule: 'certs/issuer-unreadable',
        message: `the issuer Secret in ${cluster} holds no readable certificate: ${reasonOf(e)}`,
        locations: [],
        addresses: [address('linkerd_issuer', cluster)],
        hint: 'apply re-issues it',
      })
    }
  }
  return {resources, diagnostics}
}

function labelResource(cluster: string, namespace: string, name: string, svc: V1Service): ObservedResource {
  const labels = svc.metadata?.labels ?? {}
  const key = MODE_LABEL_KEYS.find((k) => labels[k] !== undefined) ?? null
  return {
    address: address('service_label', `${cluster}/${namespace}/${name}`),
    kind: 'service_label',
    name: `${cluster}/${namespace}/${name}`,
    cluster,
    owned: true,
    attributes: {namespace, service: name, label_key: key, label_value: key ? labels[key]! : null},
  }
}

/** True when mcfed's field manager owns a mode label on this Service. */
function ownsModeLabel(svc: V1Service): boolean {
  return (svc.metadata?.managedFields ?? []).some((f) => {
    if (f.manager !== FIELD_MANAGER) return false
    const fields = JSON.stringify(f.fieldsV1 ?? {})
    return MODE_LABEL_KEYS.some((k) => fields.includes(`"l:${k}"`) || fields.includes(`"f:${k}"`))
  })
}

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

/** Issuers shared between clusters: every one after the first must be re-issued. */
export function markSharedIssuers(resources: ObservedResource[]): ObservedResource[] {
  const first = new Map<string, string>()
  return resources.map((r) => {
    if (r.kind !== 'linkerd_issuer') return r
    const fp = String(r.attributes.certificate_fingerprint)
    const owner = first.get(fp)
    if (!owner) {
      first.set(fp, r.cluster)
      return r
    }
    return {...r, attributes: {...r.attributes, unique: `no: shares its certificate with ${owner}`}}
  })
}
