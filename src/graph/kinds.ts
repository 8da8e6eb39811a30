import type {Attributes, ResourceKind} from './resource.js'

/**
 * Per-kind diff semantics, kept as data (like CDK's `causesReplacement` and Pulumi's ReplaceKeys)
 * so the planner has no kind-specific branches.
 */
export interface KindSchema {
  readonly kind: ResourceKind
  readonly layer: 'gcp' | 'kube'
  /** Attributes the API cannot change in place: a difference means replace. */
  readonly forcesReplacement: readonly string[]
  /** Server-defaulted or output attributes: shown, never compared. */
  readonly ignored: readonly string[]
  /** Values never printed in any output format. */
  readonly sensitive: readonly string[]
  /** How a replace runs: names that must be unique force delete first. */
  readonly replaceOrder: 'delete-then-create' | 'create-then-delete'
  /** Deleting or replacing it destroys workloads or networks: apply needs --allow-destroy. */
  readonly destroyGuarded: boolean
  /** One line for help and plan legends. */
  readonly description: string
  /** A person-readable reason for a replace forced by `path`, from the live object's facts. */
  readonly replaceReason?: (path: string, live: Attributes) => string | undefined
}

const KINDS: Readonly<Record<ResourceKind, KindSchema>> = {
  gcp_network: {
    kind: 'gcp_network',
    layer: 'gcp',
    forcesReplacement: ['name', 'auto_create_subnetworks'],
    ignored: ['self_link', 'id'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: true,
    description: 'custom-mode VPC, one per cluster',
  },
  gcp_subnetwork: {
    kind: 'gcp_subnetwork',
    layer: 'gcp',
    // GKE binds a cluster to its secondary ranges at creation, so changing them means a new subnet and cluster.
    forcesReplacement: ['name', 'network', 'region', 'ip_cidr_range', 'secondary_ip_ranges'],
    ignored: ['self_link', 'fingerprint', 'gateway_address'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: true,
    description: 'regional subnet with pod and service secondary ranges',
  },
  gcp_peering: {
    kind: 'gcp_peering',
    layer: 'gcp',
    forcesReplacement: ['name', 'network', 'peer_network'],
    ignored: ['state', 'state_details'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: false,
    description: 'one half of a VPC peering, exporting and importing custom routes',
  },
  gcp_firewall: {
    kind: 'gcp_firewall',
    layer: 'gcp',
    forcesReplacement: ['name', 'network', 'direction'],
    ignored: ['self_link', 'id'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: false,
    description: "ingress rule admitting a peer's node and pod ranges",
  },
  gke_cluster: {
    kind: 'gke_cluster',
    layer: 'gcp',
    forcesReplacement: [
      'name',
      'location',
      'network',
      'subnetwork',
      'pods_range_name',
      'services_range_name',
      'cluster_ipv4_cidr',
      'services_ipv4_cidr',
      'node_pool_name',
      'max_pods_per_node',
    ],
    ignored: ['endpoint', 'ca_certificate', 'status', 'current_master_version'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: true,
    description: 'GKE Standard cluster pinned to one zone',
  },
  linkerd_trust_anchor: {
    kind: 'linkerd_trust_anchor',
    layer: 'kube',
    forcesReplacement: [],
    ignored: [],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: 'trust roots ConfigMap holding the shared anchor',
  },
  linkerd_issuer: {
    kind: 'linkerd_issuer',
    layer: 'kube',
    forcesReplacement: ['common_name', 'key_algorithm', 'anchor_fingerprint', 'validity', 'valid_beyond_renew_before', 'unique'],
    ignored: ['not_after', 'certificate_fingerprint', 'shares_certificate_with'],
    replaceReason: (path, live) =>
      path === 'valid_beyond_renew_before'
        ? `the issuer expires ${String(live.not_after)}, within renewBefore`
        : path === 'unique'
          ? `the issuer shares its certificate with ${String(live.shares_certificate_with)}; every cluster needs its own`
          : path === 'anchor_fingerprint'
            ? 'the issuer is not signed by the spec\'s trust anchor'
            : undefined,
    sensitive: ['private_key'],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: "the cluster's identity issuer, signed by the trust anchor",
  },
  linkerd_crds: {
    kind: 'linkerd_crds',
    layer: 'kube',
    forcesReplacement: [],
    // The objects are compared one by one (object_changes); the digest map only says what exists.
    ignored: ['objects', 'api_versions'],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: "Linkerd's CRDs, as `linkerd install --crds` renders them",
  },
  linkerd_webhook_tls: {
    kind: 'linkerd_webhook_tls',
    layer: 'kube',
    forcesReplacement: ['secrets', 'valid_beyond_renew_before'],
    ignored: ['not_after'],
    replaceReason: (path, live) =>
      path === 'valid_beyond_renew_before' ? `the webhook certificates expire ${String(live.not_after)}, within renewBefore` : path === 'secrets' ? 'some webhook certificates are missing' : undefined,
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: "the control plane's webhook serving certificates and their CA",
  },
  linkerd_control_plane: {
    kind: 'linkerd_control_plane',
    layer: 'kube',
    forcesReplacement: [],
    ignored: ['objects', 'api_versions'],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: 'Linkerd control plane, as `linkerd install` renders it, issuer and trust roots included',
  },
  linkerd_multicluster: {
    kind: 'linkerd_multicluster',
    layer: 'kube',
    forcesReplacement: [],
    ignored: ['objects', 'api_versions'],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: 'multicluster extension: gateway and one service-mirror controller per consumed link',
  },
  linkerd_remote_access: {
    kind: 'linkerd_remote_access',
    layer: 'kube',
    forcesReplacement: [],
    ignored: [],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: "a consumer link's ServiceAccount on the target, bound to read-only remote-access rules",
  },
  linkerd_link: {
    kind: 'linkerd_link',
    layer: 'kube',
    // Credentials near expiry or issued for a ServiceAccount that no longer exists: re-issue them.
    forcesReplacement: ['credentials_valid'],
    ignored: ['credentials_expire', 'credentials_problem', 'credentials_validity'],
    replaceReason: (path, live) => (path === 'credentials_valid' ? `the link's credentials ${String(live.credentials_problem ?? 'are not valid')}` : undefined),
    sensitive: ['credentials'],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: 'Link and its credentials Secrets in the consuming cluster',
  },
  service_label: {
    kind: 'service_label',
    layer: 'kube',
    forcesReplacement: [],
    ignored: [],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: "the mode label on a Service, owned by mcfed's field manager",
  },
}

export function kindSchema(kind: ResourceKind): KindSchema {
  return KINDS[kind]
}
