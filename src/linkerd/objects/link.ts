import type {Json} from '../../graph/resource.js'
import type {KubeObject} from '../install/manifests.js'
import {ANNOTATION, LABEL, LINK_API_GROUP, LINK_API_VERSION, LINKERD_NAMESPACE, MCFED_LABEL, MULTICLUSTER_NAMESPACE, credentialsSecretName} from '../names.js'

type Attributes = {readonly [k: string]: Json}

/** Where a gateway link's target gateway answers; read from the target when a Link is written. */
export interface GatewayEndpoint {
  readonly address: string
  readonly identity: string
  readonly port: string
  readonly probePath: string
  readonly probePort: string
  readonly probePeriod: string
}

/** `a=b,c=d` as a Kubernetes label selector object. */
export function selectorObject(selector: string): {matchLabels: Record<string, string>} {
  return {matchLabels: Object.fromEntries(selector.split(',').map((pair) => pair.split('=') as [string, string]))}
}

/** The Link fields that must be absent for a link's mode: Linkerd reads a missing selector as "nothing". */
export const MODE_EXCLUSIVE = ['selector', 'remoteDiscoverySelector', 'federatedServiceSelector', 'gatewayAddress', 'gatewayPort', 'gatewayIdentity', 'probeSpec'] as const

/** A gateway link's gateway fields as the plan carries them; undefined while its address is unknown. */
export function plannedGateway(a: Attributes): GatewayEndpoint | undefined {
  if (a.mode !== 'gateway' || typeof a.gateway_address !== 'string') return undefined
  return {
    address: a.gateway_address,
    identity: String(a.gateway_identity),
    port: String(a.gateway_port),
    probePath: String(a.probe_path),
    probePort: String(a.probe_port),
    probePeriod: String(a.probe_period),
  }
}

/** The Link a `linkerd_link` resource's attributes describe; a gateway link needs its gateway. */
export function linkObject(a: Attributes, owner: Readonly<Record<string, string>>, gateway: GatewayEndpoint | undefined): KubeObject {
  const spec: Record<string, Json> = {
    targetClusterName: String(a.target_cluster_name),
    targetClusterDomain: String(a.target_cluster_domain),
    targetClusterLinkerdNamespace: String(a.target_linkerd_namespace),
    clusterCredentialsSecret: String(a.credentials_secret),
  }
  if (a.mode === 'gateway') {
    if (!gateway) throw new Error(`the gateway link ${String(a.target_cluster_name)} has no gateway address yet`)
    Object.assign(spec, {
      selector: selectorObject(String(a.selector)),
      gatewayAddress: gateway.address,
      gatewayPort: gateway.port,
      gatewayIdentity: gateway.identity,
      probeSpec: {path: gateway.probePath, port: gateway.probePort, period: gateway.probePeriod},
    })
  } else {
    Object.assign(spec, {remoteDiscoverySelector: selectorObject(String(a.remote_discovery_selector)), federatedServiceSelector: selectorObject(String(a.federated_service_selector))})
  }
  return {
    apiVersion: `${LINK_API_GROUP}/${LINK_API_VERSION}`,
    kind: 'Link',
    metadata: {name: String(a.target_cluster_name), namespace: MULTICLUSTER_NAMESPACE, labels: {...owner, [MCFED_LABEL.linkTarget]: String(a.target_cluster), [MCFED_LABEL.linkMode]: String(a.mode)}},
    spec,
  }
}

/**
 * The destination controller's copy of a link's credentials (in the control plane's namespace,
 * named after the link alone): what makes flat and federated services resolve. Without `data`:
 * the writer adds the kubeconfig, or a secret store fills it.
 */
export function destinationCopyMetadata(a: Attributes, owner: Readonly<Record<string, string>>): {name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>} {
  const name = String(a.target_cluster_name)
  return {
    name: credentialsSecretName(name),
    namespace: LINKERD_NAMESPACE,
    labels: {...owner, [LABEL.credentialsClusterName]: name, [MCFED_LABEL.credentialGeneration]: String(a.credentials_generation)},
    annotations: {[ANNOTATION.trustDomain]: String(a.trust_domain), [ANNOTATION.clusterDomain]: String(a.target_cluster_domain)},
  }
}
