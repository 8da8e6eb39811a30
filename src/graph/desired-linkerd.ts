import {ISSUER_COMMON_NAME, ISSUER_SECRET, LINKERD_NAMESPACE, TRUST_ROOTS_CONFIG_MAP} from '../linkerd/names.js'
import type {FederationSpec} from '../spec/types.js'
import {normalizeHours} from '../util/duration.js'
import {credentialGeneration, desiredCredential, desiredDestinationCredentials} from './desired-credentials.js'
import {desiredInstall} from './desired-install.js'
import {desiredRotation} from './desired-rotation.js'
import {desiredCanary, desiredLink, desiredRemoteAccess, heldLinks} from './desired-links.js'
import type {AnchorFacts, EstateFacts} from './facts.js'
import {NO_INPUTS, NO_UNKNOWNS, address, clusterAddress, type DesiredResource} from './resource.js'
import {clusterNames, modeLabel, validLinks} from './topology.js'

/**
 * Trust roots, issuer, control plane and multicluster extension (when mcfed installs Linkerd),
 * Links with their remote access, and service labels, per cluster.
 */
export function desiredLinkerd(spec: FederationSpec, anchor: AnchorFacts | undefined, facts: EstateFacts): DesiredResource[] {
  const out: DesiredResource[] = []
  const {linkerd} = spec.spec
  const links = validLinks(spec)
  const anchorUnknown = anchor ? [] : ['anchor_fingerprint']
  for (const c of clusterNames(spec)) {
    const cluster = clusterAddress('gke_cluster', c)
    const roots = address('linkerd_trust_anchor', c)
    const issuer = address('linkerd_issuer', c)
    // Mid-rotation a cluster trusts both anchors and its issuer moves to the next one in its phase.
    const trust = facts.trust?.clusters[c]
    const bundle = trust?.bundle ?? (anchor ? [anchor.fingerprint] : null)
    // With `install: mcfed` the control plane's render carries the trust roots (one owner per field).
    if (linkerd.install !== 'mcfed') {
      out.push({
        address: roots,
        kind: 'linkerd_trust_anchor',
        name: c,
        cluster: c,
        attributes: {
          namespace: LINKERD_NAMESPACE,
          config_map: TRUST_ROOTS_CONFIG_MAP,
          anchor_fingerprints: bundle ? [...bundle] : null,
        },
        unknown: bundle ? [] : ['anchor_fingerprints'],
        inputs: NO_INPUTS,
        dependsOn: [cluster],
        replacedWith: [cluster],
      })
    }
    out.push({
      address: issuer,
      kind: 'linkerd_issuer',
      name: c,
      cluster: c,
      attributes: {
        namespace: LINKERD_NAMESPACE,
        secret: ISSUER_SECRET,
        common_name: ISSUER_COMMON_NAME,
        key_algorithm: 'ECDSA-P256',
        validity: normalizeHours(linkerd.issuer.validity),
        anchor_fingerprint: trust?.issuerAnchor ?? anchor?.fingerprint ?? null,
        valid_beyond_renew_before: true,
        unique: true,
        certificate_fingerprint: null,
        not_after: null,
        private_key: null,
      },
      unknown: [...anchorUnknown, 'certificate_fingerprint', 'not_after', 'private_key'],
      inputs: NO_INPUTS,
      dependsOn: [cluster],
      replacedWith: [cluster],
    })
    // With `install: external` someone else owns the control plane and the extension: mcfed checks them.
    if (linkerd.install === 'mcfed') out.push(...desiredInstall(spec, c, facts.clusters[c], bundle))
    if (trust?.rotation) out.push(desiredRotation(c, trust.rotation, linkerd.install === 'mcfed' ? address('linkerd_control_plane', c) : roots))
  }
  const held = new Set(heldLinks(spec, links, facts))
  const consumed = new Map<string, {name: string; generation: number; address?: string}[]>()
  for (const link of links) {
    const generation = credentialGeneration(facts.clusters[link.from]?.credentials?.[link.name])
    // A held link keeps its place in its cluster's stamp: its Link may still run, on the generation it names.
    let linkAddress: string | undefined
    if (!held.has(link)) {
      // Each names the others' own address strings, which the dependency order then hashes once.
      const access = desiredRemoteAccess(spec, link)
      const credential = desiredCredential(spec, link, generation, facts.clusters[link.from], facts.clusters[link.to], access.address)
      const linkResource = desiredLink(spec, link, generation, facts, {credential: credential.address, access: access.address})
      out.push(access, credential, linkResource)
      linkAddress = linkResource.address
    }
    let ofCluster = consumed.get(link.from)
    if (!ofCluster) consumed.set(link.from, (ofCluster = []))
    ofCluster.push({name: link.name, generation, ...(linkAddress ? {address: linkAddress} : {})})
  }
  for (const [cluster, ofCluster] of consumed) if (ofCluster.some((l) => l.address)) out.push(desiredDestinationCredentials(spec, cluster, ofCluster))
  const canaries = new Map<string, Set<'flat' | 'gateway'>>()
  for (const link of links) if (!held.has(link)) canaries.set(link.to, (canaries.get(link.to) ?? new Set()).add(link.mode))
  for (const [target, modes] of canaries) out.push(desiredCanary(spec, target, modes))
  for (const [svc, s] of Object.entries(spec.spec.services)) {
    const label = modeLabel(s.mode)
    for (const c of s.clusters) {
      if (!spec.spec.clusters[c]) continue
      out.push({
        address: address('service_label', `${c}/${s.namespace}/${svc}`),
        kind: 'service_label',
        name: `${c}/${s.namespace}/${svc}`,
        cluster: c,
        attributes: {namespace: s.namespace, service: svc, label_key: label.key, label_value: label.value},
        unknown: NO_UNKNOWNS,
        inputs: NO_INPUTS,
        dependsOn: [clusterAddress('gke_cluster', c)],
        replacedWith: [clusterAddress('gke_cluster', c)],
      })
    }
  }
  return out
}
