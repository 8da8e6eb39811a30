import type {FederationSpec} from '../spec/types.js'
import {parseDuration} from '../util/duration.js'
import {address, type DesiredResource} from './resource.js'
import {clusterNames, gatewayClusters, modeLabel, validLinks, type DerivedLink} from './topology.js'

/** What plan knows of the trust anchor: the public certificate only, never the key. */
export interface AnchorFacts {
  readonly fingerprint: string
  readonly notAfter: string
}

export const LINKERD_NAMESPACE = 'linkerd'
export const MULTICLUSTER_NAMESPACE = 'linkerd-multicluster'
export const ISSUER_COMMON_NAME = 'identity.linkerd.cluster.local'
export const GATEWAY_PORT = '4143'
export const PROBE_PORT = '4191'
export const REMOTE_ACCESS_SERVICE_ACCOUNT = 'linkerd-service-mirror-remote-access-default'

/** Trust roots, issuer, control plane, multicluster extension, Links and service labels per cluster. */
export function desiredLinkerd(spec: FederationSpec, anchor: AnchorFacts | undefined): DesiredResource[] {
  const out: DesiredResource[] = []
  const {linkerd} = spec.spec
  const links = validLinks(spec)
  const gateways = gatewayClusters(spec)
  const anchorUnknown = anchor ? [] : ['anchor_fingerprint']
  for (const c of clusterNames(spec)) {
    const cluster = address('gke_cluster', c)
    const roots = address('linkerd_trust_anchor', c)
    const issuer = address('linkerd_issuer', c)
    const controlPlane = address('linkerd_control_plane', c)
    out.push({
      address: roots,
      kind: 'linkerd_trust_anchor',
      name: c,
      cluster: c,
      attributes: {
        namespace: LINKERD_NAMESPACE,
        config_map: 'linkerd-identity-trust-roots',
        anchor_fingerprint: anchor?.fingerprint ?? null,
      },
      unknown: anchorUnknown,
      inputs: {},
      dependsOn: [cluster],
      replacedWith: [cluster],
    })
    out.push({
      address: issuer,
      kind: 'linkerd_issuer',
      name: c,
      cluster: c,
      attributes: {
        namespace: LINKERD_NAMESPACE,
        secret: 'linkerd-identity-issuer',
        common_name: ISSUER_COMMON_NAME,
        key_algorithm: 'ECDSA-P256',
        validity: normalizeHours(linkerd.issuer.validity),
        anchor_fingerprint: anchor?.fingerprint ?? null,
        valid_beyond_renew_before: true,
        unique: true,
        certificate_fingerprint: null,
        not_after: null,
        private_key: null,
      },
      unknown: [...anchorUnknown, 'certificate_fingerprint', 'not_after', 'private_key'],
      inputs: {},
      dependsOn: [cluster],
      replacedWith: [cluster],
    })
    out.push({
      address: controlPlane,
      kind: 'linkerd_control_plane',
      name: c,
      cluster: c,
      attributes: {
        version: linkerd.version,
        namespace: LINKERD_NAMESPACE,
        trust_domain: linkerd.trustDomain,
        identity_issuer_scheme: 'kubernetes.io/tls',
        identity_external_ca: true,
      },
      unknown: [],
      inputs: {},
      dependsOn: [roots, issuer],
      replacedWith: [cluster],
    })
    const consumed = links.filter((l) => l.from === c).map((l) => l.name)
    out.push({
      address: address('linkerd_multicluster', c),
      kind: 'linkerd_multicluster',
      name: c,
      cluster: c,
      attributes: {
        version: linkerd.version,
        namespace: MULTICLUSTER_NAMESPACE,
        gateway: gateways.has(c),
        controllers: [...consumed].sort(),
        remote_access_service_account: REMOTE_ACCESS_SERVICE_ACCOUNT,
      },
      unknown: [],
      inputs: {},
      dependsOn: [controlPlane],
      replacedWith: [cluster],
    })
  }
  for (const link of links) out.push(desiredLink(spec, link))
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
        unknown: [],
        inputs: {},
        dependsOn: [address('gke_cluster', c)],
        replacedWith: [address('gke_cluster', c)],
      })
    }
  }
  return out
}

function desiredLink(spec: FederationSpec, link: DerivedLink): DesiredResource {
  const {from, to, name} = link
  const targetCluster = address('gke_cluster', to)
  const targetExtension = address('linkerd_multicluster', to)
  const common = {
    namespace: MULTICLUSTER_NAMESPACE,
    mode: link.mode,
    target_cluster: to,
    target_cluster_name: name,
    target_cluster_domain: 'cluster.local',
    credentials_secret: `cluster-credentials-${name}`,
    api_server: null,
    credentials: null,
  }
  const reachability =
    link.mode === 'flat'
      ? [address('gcp_peering', `${from}-${to}`), address('gcp_peering', `${to}-${from}`), address('gcp_firewall', `${to}-from-${from}`)]
      : []
  const attributes =
    link.mode === 'flat'
      ? {
          ...common,
          remote_discovery_selector: selector(modeLabel('flat')),
          federated_service_selector: selector(modeLabel('federated')),
        }
      : {
          ...common,
          selector: selector(modeLabel('gateway')),
          gateway_address: null,
          gateway_port: GATEWAY_PORT,
          gateway_identity: `linkerd-gateway.${MULTICLUSTER_NAMESPACE}.serviceaccount.identity.${LINKERD_NAMESPACE}.${spec.spec.linkerd.trustDomain}`,
          probe_path: '/ready',
          probe_port: PROBE_PORT,
          probe_period: '3s',
        }
  const unknown = link.mode === 'flat' ? ['api_server', 'credentials'] : ['api_server', 'credentials', 'gateway_address']
  const inputs: Record<string, string> =
    link.mode === 'flat'
      ? {api_server: targetCluster, credentials: targetExtension}
      : {api_server: targetCluster, credentials: targetExtension, gateway_address: targetExtension}
  return {
    address: address('linkerd_link', `${from}/${name}`),
    kind: 'linkerd_link',
    name: `${from}/${name}`,
    cluster: from,
    attributes,
    unknown,
    inputs,
    dependsOn: [address('linkerd_multicluster', from), targetExtension, ...reachability],
    replacedWith: [address('gke_cluster', from)],
  }
}

function selector(label: {key: string; value: string}): string {
  return `${label.key}=${label.value}`
}

/** `8760h`, `525600m` … → whole hours, the unit issuer validity is compared in. */
function normalizeHours(duration: string): string {
  const ms = parseDuration(duration)
  return ms === undefined ? duration : `${Math.round(ms / 3_600_000)}h`
}
