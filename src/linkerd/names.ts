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

/** Labels mcfed puts on the remote-access objects it creates, to map them back to their link. */
export const MCFED_LABEL = {
  linkConsumer: 'mcfed.io/link-consumer',
  link: 'mcfed.io/link',
} as const

export function credentialsSecretName(link: string): string {
  return `cluster-credentials-${link}`
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
