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
  readonly network: NetworkSpec
}

export interface LinkSpec {
  readonly from: string
  readonly to: string
  readonly mode: LinkMode
}

export interface ServiceSpec {
  readonly namespace: string
  readonly mode: ServiceMode
  readonly clusters: readonly string[]
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
      readonly trustAnchor: {readonly certFile: string; readonly keyFile: string}
      readonly issuer: {readonly validity: string; readonly renewBefore: string}
    }
    readonly clusters: Readonly<Record<string, ClusterSpec>>
    readonly peering: 'full-mesh' | readonly (readonly [string, string])[]
    readonly links: 'full-mesh' | readonly LinkSpec[]
    readonly services: Readonly<Record<string, ServiceSpec>>
  }
}
