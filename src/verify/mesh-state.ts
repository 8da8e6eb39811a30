import type {GatewayFacts} from '../graph/facts.js'

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
}

export interface EndpointsFacts {
  readonly namespace: string
  readonly name: string
  /** Ready addresses, `ip:port` for every port. */
  readonly ready: readonly string[]
  readonly notReady: readonly string[]
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
  readonly links: readonly LinkFacts[]
  readonly leases: readonly LeaseFacts[]
  readonly controllers: readonly ControllerFacts[]
  readonly gateway?: GatewayFacts
}
