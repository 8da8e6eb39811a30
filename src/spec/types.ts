/**
 * The typed federation spec, mirroring schemas/federation.schema.json after defaults are applied.
 * Field names and meanings are the contract in shared/design/federation-spec.md.
 */
export type ServiceMode = 'federated' | 'flat' | 'gateway'
export type LinkMode = 'flat' | 'gateway'
export type LinkerdInstall = 'mcfed' | 'external'

export interface NetworkSpec {
  readonly name?: string
  readonly subnet: string
  readonly pods: string
  readonly services: string
}

export interface ClusterSpec {
  readonly region: string
  readonly zone?: string
  readonly machineType: string
  readonly nodeCount: number
  readonly maxPodsPerNode: number
  readonly kubeContext?: string
  /** This cluster's identity trust domain; else `linkerd.trustDomain`. */
  readonly trustDomain?: string
  readonly network: NetworkSpec
}

export interface LinkSpec {
  readonly from: string
  readonly to: string
  readonly mode: LinkMode
}

/** A caller a service admits: a ServiceAccount in a namespace, in some clusters or all. */
export interface CallerSpec {
  readonly serviceAccount: string
  readonly namespace: string
  /** Absent: every cluster. */
  readonly clusters?: readonly string[]
  /** Absent: every port of the service. */
  readonly ports?: readonly number[]
  /** Admit the gateway the caller comes through (and so everything behind it). */
  readonly viaGateway: boolean
}

export interface ServiceSpec {
  readonly namespace: string
  readonly mode: ServiceMode
  readonly clusters: readonly string[]
  readonly ports?: readonly number[]
  readonly podSelector?: Readonly<Record<string, string>>
  /** The only callers admitted; absent: mcfed writes no policy for the service. */
  readonly allow?: readonly CallerSpec[]
  readonly defaultPolicy?: 'deny' | 'audit'
}

export interface FederationSpec {
  readonly apiVersion: 'mcfed.io/v1alpha1'
  readonly kind: 'Federation'
  readonly metadata: {readonly name: string}
  readonly spec: {
    readonly gcp: {
      readonly project: string
      readonly peeringLimit: number
      /** `shared`: one VPC for every cluster, no peering. */
      readonly network: 'per-cluster' | 'shared'
      /** The Shared VPC host project holding the shared VPC (else `project`). */
      readonly networkProject?: string
    }
    readonly linkerd: {
      readonly version: string
      /** `mcfed` installs Linkerd itself; `external`: someone else does, mcfed checks and links. */
      readonly install: LinkerdInstall
      readonly trustDomain: string
      readonly linkCredentials: {readonly validity: string; readonly renewBefore: string}
      readonly trustAnchor: {
        readonly certFile: string
        readonly keyFile: string
        /** The anchor being rotated to: while set, a rotation is in progress. */
        readonly next?: {readonly certFile: string; readonly keyFile: string}
      }
      readonly issuer: {readonly validity: string; readonly renewBefore: string}
    }
    readonly clusters: Readonly<Record<string, ClusterSpec>>
    readonly peering: 'full-mesh' | readonly (readonly [string, string])[]
    readonly links: 'full-mesh' | readonly LinkSpec[]
    readonly services: Readonly<Record<string, ServiceSpec>>
    /** Present: the clusters' side is rendered into Git for an engine to apply (`mcfed render`). */
    readonly gitops?: GitopsSpec
  }
}

export interface GitopsSpec {
  readonly engine: 'argocd' | 'flux'
  /** The tree's path inside the repository the engine reads. */
  readonly root: string
  readonly repoURL: string
  /** Flux's GitRepository name. */
  readonly sourceRef: string
  readonly credentials: 'external-secrets'
  /** The ClusterSecretStore the ExternalSecrets read. */
  readonly secretStore: string
}
