import type {KindSchema, Layer} from './kind-schema.js'

/** What most Kubernetes kinds are: changed in place, replaced by overwriting, never guarded. */
type KubeSchemaDefaults = 'layer' | 'forcesReplacement' | 'ignored' | 'sensitive' | 'replaceOrder' | 'destroyGuarded'
type KubeSchemaRow = Omit<KindSchema, KubeSchemaDefaults> & Partial<Pick<KindSchema, KubeSchemaDefaults>>

function kube(row: KubeSchemaRow): KindSchema & {readonly layer: 'kube'} {
  return {forcesReplacement: [], ignored: [], sensitive: [], replaceOrder: 'create-then-delete', destroyGuarded: false, ...row, layer: 'kube'}
}

function gcp(row: Omit<KindSchema, 'layer'>): KindSchema & {readonly layer: 'gcp'} {
  return {layer: 'gcp', ...row}
}

/**
 * Every resource kind mcfed manages, by name, with the diff semantics the pure core plans with.
 * The order is the order plans and `--layer` list them. What a kind reads and how it changes the
 * world live in its file under src/kinds/, which takes its schema from here by name: the planner,
 * the graph and the renderers know kinds from this table alone, without loading a provider.
 */
export const KIND_SCHEMAS = {
  gcp_network: gcp({
    forcesReplacement: ['name', 'auto_create_subnetworks'],
    ignored: ['self_link', 'id'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: true,
    description: 'custom-mode VPC, one per cluster',
  }),
  gcp_subnetwork: gcp({
    // GKE binds a cluster to its secondary ranges at creation, so changing them means a new subnet and cluster.
    forcesReplacement: ['name', 'network', 'region', 'ip_cidr_range', 'secondary_ip_ranges'],
    ignored: ['self_link', 'fingerprint', 'gateway_address'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: true,
    description: 'regional subnet with pod and service secondary ranges',
  }),
  gcp_peering: gcp({
    forcesReplacement: ['name', 'network', 'peer_network'],
    ignored: ['state', 'state_details'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: false,
    description: 'one half of a VPC peering, exporting and importing custom routes',
  }),
  gcp_firewall: gcp({
    forcesReplacement: ['name', 'network', 'direction'],
    ignored: ['self_link', 'id'],
    sensitive: [],
    replaceOrder: 'delete-then-create',
    destroyGuarded: false,
    deleteAfterWritesOf: ['gcp_firewall'],
    description: "ingress rule of a cluster network admitting all its peers' subnet and pod ranges",
  }),
  gke_cluster: gcp({
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
  }),
  linkerd_crds: kube({
    // The objects of a rendered component are compared one by one (object_changes); the digest
    // map only says what exists. `values` is what apply renders from (without key material).
    ignored: ['objects', 'api_versions', 'values'],
    description: "Linkerd's CRDs, as `linkerd install --crds` renders them",
  }),
  linkerd_webhook_tls: kube({
    forcesReplacement: ['secrets', 'valid_beyond_renew_before'],
    ignored: ['not_after'],
    replaceReasons: {
      valid_beyond_renew_before: (live) => `the webhook certificates expire ${String(live.not_after)}, within renewBefore`,
      secrets: () => 'some webhook certificates are missing',
    },
    description: "the control plane's webhook serving certificates and their CA",
  }),
  linkerd_trust_anchor: kube({
    description: 'trust roots ConfigMap holding the shared anchor (both anchors while one is rotated)',
  }),
  linkerd_issuer: kube({
    forcesReplacement: ['common_name', 'key_algorithm', 'anchor_fingerprint', 'validity', 'valid_beyond_renew_before', 'unique'],
    ignored: ['not_after', 'certificate_fingerprint', 'shares_certificate_with'],
    replaceReasons: {
      valid_beyond_renew_before: (live) => `the issuer expires ${String(live.not_after)}, within renewBefore`,
      unique: (live) => `the issuer shares its certificate with ${String(live.shares_certificate_with)}; every cluster needs its own`,
      anchor_fingerprint: () => "the issuer is not signed by the spec's trust anchor (or, from a rotation's issuers phase on, trustAnchor.next)",
    },
    sensitive: ['private_key'],
    description: "the cluster's identity issuer, signed by the trust anchor",
  }),
  linkerd_control_plane: kube({
    ignored: ['objects', 'api_versions', 'values'],
    description: 'Linkerd control plane, as `linkerd install` renders it, issuer and trust roots included',
  }),
  linkerd_multicluster: kube({
    ignored: ['objects', 'api_versions', 'values'],
    description: 'multicluster extension: gateway and one service-mirror controller per consumed link',
  }),
  linkerd_trust_rotation: kube({
    description: "a trust-anchor rotation's record in a cluster, and the restarts its phase needs",
  }),
  linkerd_remote_access: kube({
    description: "a consumer link's ServiceAccount on the target, bound to read-only remote-access rules",
  }),
  linkerd_link_credential: kube({
    description: "a generation of a link's credentials: a token bound to a Secret on the target, kept in the consumer",
    sensitive: ['credentials'],
    // The target's API server is a fact about the target: a generation naming another one is not
    // usable, and the plan makes a new generation (a generation is never re-issued in place: the
    // service mirror reads its Secret again only when the Link names another one).
    ignored: ['api_server'],
    // An old generation is revoked only once the Link names the new one and the destination controller has restarted with it.
    deleteAfterWritesOf: ['linkerd_link_credential', 'linkerd_link', 'linkerd_destination_credentials'],
    deleteReason: (live) =>
      live.generation === 0
        ? 'credentials from before generations; the token is not bound and lives until it expires'
        : `revoked once no Link and no destination controller uses it: the Secret its token is bound to goes from ${String(live.target_cluster)}`,
  }),
  linkerd_link: kube({
    description: "Link in the consuming cluster, naming a credential generation, and the destination controller's copy of it",
  }),
  linkerd_destination_credentials: kube({
    description: "the destination controller restarted onto the current generation of every link's credentials",
  }),
  linkerd_canary: kube({
    description: "canary Services on a link target that verify watches travel through each link's service mirror",
  }),
  service_label: kube({
    description: "the mode label on a Service, owned by mcfed's field manager",
  }),
  linkerd_authorization: kube({
    description: "a service's Servers, the MeshTLSAuthentication of its callers' identities and the AuthorizationPolicies binding them, in one cluster",
  }),
} as const

export type ResourceKind = keyof typeof KIND_SCHEMAS
type SchemaOf<K extends ResourceKind> = (typeof KIND_SCHEMAS)[K]
export type GcpKindName = {[K in ResourceKind]: SchemaOf<K>['layer'] extends 'gcp' ? K : never}[ResourceKind]
export type KubeKindName = {[K in ResourceKind]: SchemaOf<K>['layer'] extends 'kube' ? K : never}[ResourceKind]

export const RESOURCE_KINDS: readonly ResourceKind[] = Object.keys(KIND_SCHEMAS) as ResourceKind[]

/** The layers, in the order plans and `--layer` list them. */
export const LAYERS: readonly Layer[] = [...new Set(RESOURCE_KINDS.map((k) => KIND_SCHEMAS[k].layer))]

/**
 * Kinds whose key material GitOps mode keeps in the secret store: `--layer credentials` plans and
 * applies only these (and reads clusters through the kube layer's provider).
 */
export const CREDENTIAL_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['linkerd_issuer', 'linkerd_webhook_tls', 'linkerd_link_credential'])

/** What `--layer` accepts: the layers, and `credentials`, a part of the kube layer. */
export const SELECTABLE_LAYERS: readonly string[] = [...LAYERS, 'credentials']

/** Whether a kind is in any of these selected layers. */
export function inLayers(kind: ResourceKind, layers: readonly string[]): boolean {
  return layers.includes(kindSchema(kind).layer) || (layers.includes('credentials') && CREDENTIAL_KINDS.has(kind))
}

/** The providers' layers a selection needs: `credentials` is read through the kube layer. */
export function providerLayers(layers: readonly string[]): Layer[] {
  return LAYERS.filter((l) => layers.includes(l) || (l === 'kube' && layers.includes('credentials')))
}

export function kindSchema(kind: ResourceKind): KindSchema {
  const schema: KindSchema | undefined = KIND_SCHEMAS[kind]
  if (!schema) throw new Error(`no resource kind ${kind}`)
  return schema
}
