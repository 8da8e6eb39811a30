import type {SecretStore} from '../../providers/secrets/secret-store.js'
import type {ObservedResource} from '../../graph/resource.js'
import type {FederationJoin} from '../../linkerd/federation.js'
import type {ResourceChange} from '../../plan/types.js'
import type {SecretsPort} from '../../providers/certs/secrets-port.js'
import type {KubeClient} from '../../providers/kube/client.js'
import type {IssuedIssuers} from '../../providers/kube/linkerd/install/certificates.js'
import type {ComponentRenderer} from '../../providers/kube/linkerd/install/render.js'
import type {CredentialsByCluster} from '../../providers/kube/linkerd/read-credentials.js'
import type {ClusterList, ClusterListing} from '../../providers/kube/listing.js'
import type {FederationSpec} from '../../spec/types.js'
import type {KindSchema, Mutation} from '../../model/kind-schema.js'
import {KIND_SCHEMAS, type KubeKindName} from '../../model/kinds.js'
import type {Observation} from '../kind.js'

/** What a Kubernetes kind's create, update and delete work with. */
export interface KubeMutationContext {
  readonly client: KubeClient
  /** Another cluster's client: a Link's credentials come from its target. */
  readonly clientFor: (cluster: string) => Promise<KubeClient>
  /** Ownership labels on every object mcfed creates. */
  readonly owner: Readonly<Record<string, string>>
  /** Who installs Linkerd: with `mcfed` the issuer travels in the control plane's render. */
  readonly install: 'mcfed' | 'external'
  /** Key material, read at apply time only. */
  readonly secrets: SecretsPort
  /** Issuers issued in this run, for the control plane to render (`install: mcfed`). */
  readonly issued: IssuedIssuers
  /** How long the certificates mcfed issues in a cluster are valid (its webhook certificates). */
  readonly certificateValidityMs: number
  /** Renders Linkerd's components; undefined without a usable CLI. */
  readonly renderer: ComponentRenderer | undefined
  readonly gatewayTimeoutMs: number
  /** Workloads a rotation restarts at once (`--parallelism`). */
  readonly rolloutWave: number
  /** Writes that make Linkerd's controllers join a federated service: serialised per cluster, awaited. */
  readonly federation: FederationWrites
  /** GitOps mode: where link credentials go instead of the consumer cluster (the tree's ExternalSecrets read them). */
  readonly store?: () => Promise<SecretStore>
  readonly signal?: AbortSignal
}

/** The joins a write sets off (from the spec), and the one way to make such a write. */
export interface FederationWrites {
  ofMember(cluster: string, namespace: string, service: string): FederationJoin[]
  ofLink(consumer: string, link: string, target: string): FederationJoin[]
  serialized(joins: readonly FederationJoin[], write: () => Promise<void>): Promise<void>
}

/** What every Kubernetes kind's read mapping may consult beside its cluster's lists. */
export interface KubeObserveContext {
  readonly spec: FederationSpec
}


/** Everything about one Kubernetes resource kind: its diff semantics, how it is read, how it is changed. */
export interface KubeKind<K extends string = string> {
  readonly kind: K
  readonly schema: KindSchema & {readonly layer: 'kube'}
  /** The cluster lists its read maps from; each is made once per cluster for all kinds. */
  readonly lists: readonly ClusterList[]
  /** Maps one cluster's listed objects to observed resources. */
  observe(listing: ClusterListing, ctx: KubeObserveContext): Observation | Promise<Observation>
  /**
   * Facts only every cluster together shows, applied after all clusters are read. Each cluster's
   * lists are let go once its kinds have observed them; what spans clusters is kept as `fleet`.
   */
  relate?(resources: readonly ObservedResource[], fleet: CredentialsByCluster, ctx: KubeObserveContext): ObservedResource[]
  /** One plan step, built from the change's `before` (delete) or `after` (create, update). */
  mutate(ctx: KubeMutationContext, mutation: Mutation, change: ResourceChange): Promise<void>
}

/** A Kubernetes kind: its reads and writes here, its schema from the kind catalog by its name. */
export function kubeKind<K extends KubeKindName>(kind: K, definition: Omit<KubeKind<K>, 'kind' | 'schema'>): KubeKind<K> {
  return {kind, ...definition, schema: KIND_SCHEMAS[kind]}
}
