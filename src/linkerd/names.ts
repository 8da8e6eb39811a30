/**
 * Names of the Kubernetes objects mcfed reads and writes for Linkerd, defined once. Linkerd's own
 * names (namespaces, Secrets, labels) are its contract: see the multicluster reference §1–4.
 */
export const LINKERD_NAMESPACE = 'linkerd'
export const MULTICLUSTER_NAMESPACE = 'linkerd-multicluster'

export const TRUST_ROOTS_CONFIG_MAP = 'linkerd-identity-trust-roots'
export const TRUST_ROOTS_KEY = 'ca-bundle.crt'
export const ISSUER_SECRET = 'linkerd-identity-issuer'
export const ISSUER_COMMON_NAME = 'identity.linkerd.cluster.local'
export const LINKERD_CONFIG_MAP = 'linkerd-config'
/** Where mcfed records a trust-anchor rotation's progress in a cluster (a ConfigMap in the Linkerd namespace). */
export const ROTATION_RECORD = 'mcfed-trust-rotation'

export const GATEWAY_SERVICE = 'linkerd-gateway'
export const GATEWAY_PORT_NAME = 'mc-gateway'
export const PROBE_PORT_NAME = 'mc-probe'
export const GATEWAY_PORT = '4143'
export const PROBE_PORT = '4191'
export const PROBE_PATH = '/ready'
export const PROBE_PERIOD = '3s'

export const LINK_API_GROUP = 'multicluster.linkerd.io'
export const LINK_API_VERSION = 'v1alpha3'
export const LINK_CRD = `links.${LINK_API_GROUP}`
export const REMOTE_KUBECONFIG_SECRET_TYPE = 'mirror.linkerd.io/remote-kubeconfig'

/** Labels and annotations Linkerd reads. */
export const LABEL = {
  extension: 'linkerd.io/extension',
  component: 'component',
  clusterName: 'mirror.linkerd.io/cluster-name',
  credentialsClusterName: 'multicluster.linkerd.io/cluster-name',
  controlPlaneComponent: 'linkerd.io/control-plane-component',
} as const
export const ANNOTATION = {
  trustDomain: 'multicluster.linkerd.io/trust-domain',
  clusterDomain: 'multicluster.linkerd.io/cluster-domain',
  gatewayIdentity: 'mirror.linkerd.io/gateway-identity',
  probePath: 'mirror.linkerd.io/probe-path',
  probePeriod: 'mirror.linkerd.io/probe-period',
} as const

/** Labels mcfed puts on the remote-access objects and credentials it creates, to map them back to their link. */
export const MCFED_LABEL = {
  linkConsumer: 'mcfed.io/link-consumer',
  link: 'mcfed.io/link',
  credentialGeneration: 'mcfed.io/credential-generation',
  /** On a Link and a credential generation's Secrets: the cluster the link targets, and the link's mode. */
  linkTarget: 'mcfed.io/link-target',
  linkMode: 'mcfed.io/link-mode',
} as const

/** On a generation's Secret in the consumer: the validity it was asked for (the API server may grant less). */
export const CREDENTIAL_VALIDITY_ANNOTATION = 'mcfed.io/credential-validity'

/**
 * On the destination controller's pod template: the credential generation of each link it must
 * have read. Linkerd's destination controller reads the credential Secrets only when it starts
 * (add and delete handlers, no update handler: controller/api/destination/watcher/cluster_store.go),
 * so a changed value restarts it, as `kubectl rollout restart` does.
 */
export const LINK_CREDENTIALS_ANNOTATION = 'mcfed.io/link-credentials'
/** The field manager of that annotation alone, so that no other apply of the Deployment owns or drops it. */
export const CREDENTIALS_FIELD_MANAGER = 'mcfed-link-credentials'
/** The destination controller's Deployment, as Linkerd's control-plane chart names and labels it. */
export const DESTINATION_DEPLOYMENT = 'linkerd-destination'
export const DESTINATION_SELECTOR = 'linkerd.io/control-plane-component=destination'

/**
 * The destination controller's copy of a link's credentials, in the control plane's namespace:
 * exactly one per link (a second with the same cluster name would replace the first in the
 * destination controller's cluster store without stopping its watch, and deleting either would
 * remove the cluster), rewritten in place on renewal and read when the controller restarts.
 * Before generations, the consumer's copy had this name too.
 */
export function credentialsSecretName(link: string): string {
  return `cluster-credentials-${link}`
}

/**
 * One generation of a link's credentials in the consumer, named by the Link's spec: a new name per
 * generation makes the service mirror, which reads its Secret only when the Link's spec changes
 * (multicluster/service-mirror/link_handlers.go, multicluster/cmd/service-mirror/main.go), read it.
 */
export function generationSecretName(link: string, generation: number): string {
  return `${credentialsSecretName(link)}-g${generation}`
}

/**
 * The Role and RoleBinding that let a link's service mirror read one generation's Secret. Linkerd's
 * chart lets `controller-<link>` get only `cluster-credentials-<link>` (Role
 * controller-read-remote-creds-<link>, resourceNames); each generation grants its own name, and
 * goes with it.
 */
export function credentialReaderName(link: string, generation: number): string {
  return `mcfed-read-${generationSecretName(link, generation)}`
}

/** The ServiceAccount Linkerd's multicluster chart runs a link's service mirror as. */
export function controllerServiceAccount(link: string): string {
  return controllerName(link)
}

/**
 * Canary Services mcfed keeps in each link target's multicluster namespace, exported in each link
 * mode: `verify` changes the canary's annotation and waits for each consumer's mirror to carry it,
 * which only a service mirror that can read the target does.
 */
export const CANARY = {
  label: 'mcfed.io/canary',
  annotation: 'mcfed.io/canary',
  /** Who writes the annotation (verify), apart from apply's field manager. */
  fieldManager: 'mcfed-verify',
  services: {flat: 'mcfed-canary', gateway: 'mcfed-canary-gw'},
} as const

/** The name of a canary's mirror in a consumer: `<svc>-<link>`, as the service mirror names every mirror. */
export function canaryMirrorName(mode: 'flat' | 'gateway', link: string): string {
  return `${CANARY.services[mode]}-${link}`
}

/** The object on the target a generation's token is bound to: deleting it revokes the token at once. */
export function boundSecretName(consumer: string, link: string, generation: number): string {
  return `${remoteAccessName(consumer, link)}-g${generation}`
}

/** Chart-managed controller of a link (2.18+); the legacy name was `linkerd-service-mirror-<link>`. */
export function controllerName(link: string): string {
  return `controller-${link}`
}

/** ServiceAccount, ClusterRole and ClusterRoleBinding on the target for one consumer's link. */
export function remoteAccessName(consumer: string, link: string): string {
  return `mcfed-link-${consumer}-${link}`
}

/**
 * The read-only rights a consumer's service-mirror and destination controllers need on the
 * target (the chart's remote-access ClusterRole, reference §2.5), and nothing else.
 */
export const REMOTE_ACCESS_RULES = [
  {apiGroups: [''], resources: ['configmaps'], resourceNames: [LINKERD_CONFIG_MAP], verbs: ['get']},
  {apiGroups: [''], resources: ['endpoints', 'pods', 'services'], verbs: ['get', 'list', 'watch']},
  {apiGroups: [''], resources: ['events'], verbs: ['create', 'patch']},
  {apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch']},
  {apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch']},
  {apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch']},
  {apiGroups: ['policy.linkerd.io'], resources: ['servers'], verbs: ['get', 'list', 'watch']},
] as const

/**
 * The webhooks' serving certificates. With `externalSecret: true` the chart does not generate
 * them (it would on every render); mcfed issues them and stores them under the names the chart's
 * Deployments mount, each for its webhook Service's in-cluster DNS name.
 */
export const WEBHOOK_TLS = [
  {secret: 'linkerd-proxy-injector-k8s-tls', service: 'linkerd-proxy-injector'},
  {secret: 'linkerd-sp-validator-k8s-tls', service: 'linkerd-sp-validator'},
  {secret: 'linkerd-policy-validator-k8s-tls', service: 'linkerd-policy-validator'},
] as const
export const WEBHOOK_CA_COMMON_NAME = 'webhook.linkerd.cluster.local'
