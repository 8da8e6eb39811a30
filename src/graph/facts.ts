import type {TrustPlan} from '../rotation/trust-plan.js'

/**
 * What the live estate tells the desired graph that the spec cannot: read by providers, passed in
 * as plain data so that deriving the graph stays pure. Absent facts become "known after apply".
 */
export interface AnchorFacts {
  readonly fingerprint: string
  readonly notAfter: string
}

/** A target cluster's multicluster gateway, as its `linkerd-gateway` Service advertises it. */
export interface GatewayFacts {
  /** Comma-joined load-balancer addresses; absent until the Service has one. */
  readonly address?: string
  readonly identity?: string
  readonly port?: string
  readonly probePort?: string
  readonly probePath?: string
  readonly probePeriod?: string
}

/** One component as Linkerd's CLI rendered it for this plan: object key → digest, kind → apiVersion. */
export interface RenderFacts {
  readonly objects: Readonly<Record<string, string>>
  readonly apiVersions: Readonly<Record<string, string>>
}

/** What mcfed's install of Linkerd rendered for a cluster, and the certificates the render carries. */
export interface InstallFacts {
  readonly crds?: RenderFacts
  readonly controlPlane?: RenderFacts
  readonly multicluster?: RenderFacts
  /** Fingerprints of the issuer and webhook CA the control plane was rendered with. */
  readonly issuerCertificate?: string
  readonly webhookCa?: string
}

/**
 * A consuming cluster's credentials for one link, as its read found them: what decides whether
 * the next plan keeps the generation the Link names or makes a new one.
 */
export interface CredentialFacts {
  /** The generation the Link names; 0 for credentials from before generations. */
  readonly named?: number
  /**
   * Generations whose token still works and is not due: its bound Secret is on the target, its
   * ServiceAccount is the one there now, it was asked with the spec's validity for the target's
   * API server, and it expires after renewBefore from now.
   */
  readonly usable: readonly number[]
  /** The highest generation found anywhere for this link: a new one takes the next number. */
  readonly highest: number
  /** Why the named generation is not usable, for the plan's reason. */
  readonly problem?: string
}

export interface ClusterFacts {
  /** The API server URL a consumer's kubeconfig must name. */
  readonly apiServer?: string
  readonly gateway?: GatewayFacts
  /** False when the cluster has no Link CRD: the multicluster extension is not installed there. */
  readonly linkCrd?: boolean
  readonly install?: InstallFacts
  /** Per link this cluster consumes, by link name. */
  readonly credentials?: Readonly<Record<string, CredentialFacts>>
}

export interface EstateFacts {
  readonly clusters: Readonly<Record<string, ClusterFacts>>
  /** What each cluster trusts and signs with, and a trust-anchor rotation's step; absent offline. */
  readonly trust?: TrustPlan
  /** True when the estate was read: a cluster without facts then does not exist yet (or was unreachable). */
  readonly read?: boolean
}

export const NO_FACTS: EstateFacts = {clusters: {}}

/** A read whose providers told nothing (none reads clusters). */
export const NO_FACTS_READ: EstateFacts = {clusters: {}, read: true}
