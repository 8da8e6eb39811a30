import type {GatewayFacts} from '../graph/facts.js'
import type {LivePolicy} from '../linkerd/policy.js'

/**
 * What `verify` reads of one cluster, as plain data: the objects Linkerd's controllers write
 * (mirrors, federated services, gateway Endpoints, Link status, Leases) and the targets' services.
 */
export interface MirrorService {
  readonly namespace: string
  readonly name: string
  /** `mirror.linkerd.io/cluster-name`: the link it came through (absent on `-federated`). */
  readonly link?: string
  /** `multicluster.linkerd.io/remote-discovery` entries (`svc@link`) on a federated service. */
  readonly remoteMembers: readonly string[]
  /** `multicluster.linkerd.io/local-discovery` on a federated service. */
  readonly localMember?: string
  /** On the mirror of a canary: the canary's value it carries (the time verify set it). */
  readonly canary?: string
}

export interface EndpointsFacts {
  readonly namespace: string
  readonly name: string
  /** Ready addresses, `ip:port` for every port. */
  readonly ready: readonly string[]
  readonly notReady: readonly string[]
}

/** Ready endpoints of a Service the spec names in this cluster, from its EndpointSlices. */
export interface ServiceEndpoints {
  readonly namespace: string
  readonly name: string
  readonly ready: number
}

export interface LeaseFacts {
  readonly name: string
  readonly holder: string
  readonly renewTime?: string
  readonly durationSeconds?: number
}

export interface LinkFacts {
  readonly name: string
  readonly targetClusterName?: string
  readonly gatewayAddress?: string
}

export interface ExportedService {
  readonly namespace: string
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  /** On a canary: its current value. */
  readonly canary?: string
}

/**
 * What a consumer's link runs on, as far as a read can tell: the credential generation its Link
 * names and whether the target accepts that token with the remote-access rights, and whether the
 * destination controller was rolled onto that generation.
 */
export interface LinkCredentialState {
  readonly link: string
  readonly generation?: number
  readonly expires?: string
  /** `ok`: the target grants it; `refused`: the target does not know the token (401); `denied`: it may not list services. */
  readonly access: 'ok' | 'refused' | 'denied' | 'missing' | 'unknown'
  readonly detail?: string
  /** The generation in the destination controller's stamp, if the stamp names this link. */
  readonly destinationGeneration?: number
}

export interface ControllerFacts {
  readonly namespace: string
  readonly name: string
  readonly link: string
}

export interface ClusterMesh {
  readonly mirrors: readonly MirrorService[]
  readonly mirrorEndpoints: readonly EndpointsFacts[]
  readonly exported: readonly ExportedService[]
  readonly exportedEndpoints: readonly EndpointsFacts[]
  /** The spec's services that run here: their ready endpoints as the destination controller counts them. */
  readonly serviceEndpoints: readonly ServiceEndpoints[]
  readonly links: readonly LinkFacts[]
  readonly leases: readonly LeaseFacts[]
  readonly controllers: readonly ControllerFacts[]
  readonly gateway?: GatewayFacts
  /** Per Link this cluster consumes. */
  readonly credentials: readonly LinkCredentialState[]
  /** mcfed's authorization policies here, as their objects say (none where Linkerd's policy CRDs are not installed). */
  readonly policies?: readonly LivePolicy[]
  /** The destination controller: whether its last template change rolled out. */
  readonly destinationRolledOut?: boolean
  /** Its trust roots and the anchor its issuer chains to; absent where Linkerd holds none. */
  readonly trust?: {readonly anchors: readonly string[]; readonly issuerAnchor?: string}
}
