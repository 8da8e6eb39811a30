import {X509Certificate} from 'node:crypto'

import type {V1Secret, V1Service} from '@kubernetes/client-node'

import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {ISSUER_SECRET, LINKERD_NAMESPACE, TRUST_ROOTS_CONFIG_MAP} from '../../linkerd/names.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {parseDuration} from '../../util/duration.js'
import type {FederationSpec} from '../../spec/types.js'
import {FIELD_MANAGER, reasonOf, type KubeClient} from './client.js'
import {certificateFingerprint} from '../certs/fingerprint.js'
import {issuerFacts} from './issuer.js'
import {FEDERATION, MANAGED_BY, MODE_LABEL_KEYS, ownerSelector} from './labels.js'
import {readLinkerd, type LinkerdRead} from './linkerd/read.js'
import {secretValue} from './secret-data.js'

export interface ClusterRead {
  readonly resources: ObservedResource[]
  readonly diagnostics: Diagnostic[]
  readonly linkerd: LinkerdRead
  /** mcfed's Secrets in every namespace: the issuer and webhook certificates a render needs among them. */
  readonly ownedSecrets: readonly V1Secret[]
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
  // Every ConfigMap of the Linkerd namespace (a handful: mcfed's trust roots and linkerd-config
  // among them) and mcfed's Secrets in every namespace (issuer, both copies of Link credentials).
  const shared = Promise.all([client.listConfigMaps(LINKERD_NAMESPACE), client.listSecrets(undefined, selector)])
  const [labelled, [linkerdConfigMaps, ownedSecrets], linkerd] = await Promise.all([
    Promise.all(MODE_LABEL_KEYS.map((key) => client.listLabelledServices(key))),
    shared,
    readLinkerd(client, spec, cluster, shared.then(([configMaps, ownedSecrets]) => ({configMaps, ownedSecrets}))),
  ])
  const configMaps = linkerdConfigMaps.filter((c) => isOwned(c.metadata?.labels, spec))
  const secrets = ownedSecrets.filter((s) => s.metadata?.namespace === LINKERD_NAMESPACE)
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
  // With `install: mcfed` the trust roots belong to the control plane's render, not to a resource of their own.
  const roots = spec.spec.linkerd.install === 'external' ? configMaps.find((c) => c.metadata?.name === TRUST_ROOTS_CONFIG_MAP) : undefined
  if (roots) {
    resources.push({
      address: address('linkerd_trust_anchor', cluster),
      kind: 'linkerd_trust_anchor',
      name: cluster,
      cluster,
      owned: true,
      attributes: {namespace: LINKERD_NAMESPACE, config_map: TRUST_ROOTS_CONFIG_MAP, anchor_fingerprint: bundleAnchor(roots.data?.['ca-bundle.crt'] ?? '', anchor)},
    })
  }
  const issuer = secrets.find((s) => s.metadata?.name === ISSUER_SECRET)
  if (issuer) {
    const data = issuer.data ?? {}
    const decode = (k: string) => secretValue(issuer, k)
    try {
      // The chart's scheme (`crt.pem`, rendered by the control plane) or `kubernetes.io/tls` (written by mcfed for `install: external`).
      const facts = issuerFacts(decode('crt.pem') ?? decode('tls.crt') ?? '', decode('ca.crt'), anchor)
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
          secret: ISSUER_SECRET,
          ...facts,
          private_key: data['key.pem'] || data['tls.key'] ? 'present' : null,
          valid_beyond_renew_before: fresh,
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
  return {resources: [...resources, ...linkerd.resources], diagnostics: [...diagnostics, ...linkerd.diagnostics], linkerd, ownedSecrets}
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
    return {...r, attributes: {...r.attributes, unique: false, shares_certificate_with: owner}}
  })
}

function isOwned(labels: Record<string, string> | undefined, spec: FederationSpec): boolean {
  return labels?.[MANAGED_BY] === 'mcfed' && labels[FEDERATION] === spec.metadata.name
}
