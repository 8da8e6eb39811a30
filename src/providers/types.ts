import type {Diagnostic} from '../diagnostics/diagnostic.js'
import type {ClusterFacts} from '../graph/facts.js'
import type {TrustPlan} from '../rotation/trust-plan.js'
import type {ObservedResource, ResourceKind} from '../graph/resource.js'
import type {ResourceChange} from '../plan/types.js'
import type {FederationSpec} from '../spec/types.js'

/**
 * The narrow door to the outside world. A provider reads its layer with list calls (never one
 * GET per resource) and carries out one step of a plan at a time. The core never imports an SDK.
 */
export interface Provider {
  /** Kinds this provider reads and changes. */
  readonly kinds: readonly ResourceKind[]
  /** A short name used as the fingerprint key in saved plans (`gcp`, `kube/west`, …). */
  readonly name: string
  /** Whether its read tells facts (`ProviderRead.facts`): without any, the desired graph is derived while the reads travel. */
  readonly tellsFacts: boolean
  read(spec: FederationSpec): Promise<ProviderRead>
  apply(step: Mutation, change: ResourceChange, signal?: AbortSignal): Promise<void>
  close(): Promise<void>
}

export type {Mutation} from '../model/kind-schema.js'
import type {Mutation} from '../model/kind-schema.js'

export interface ProviderRead {
  readonly resources: ObservedResource[]
  readonly diagnostics: Diagnostic[]
  readonly fingerprint: string
  /** Clusters that could not be read: their resources are unknown and must not be planned. */
  readonly unreachable?: readonly string[]
  /** What the estate tells the desired graph (API servers, gateway addresses), by cluster. */
  readonly facts?: Readonly<Record<string, ClusterFacts>>
  /** Every cluster's trust (and a rotation's step) as the live trust roots, issuers and records decide it. */
  readonly trust?: TrustPlan
  /**
   * Kinds this provider cannot plan in this run (Linkerd's components without a usable CLI): they
   * and what depends on them are left out of the plan, neither created nor pruned. The provider's
   * diagnostics say why.
   */
  readonly blockedKinds?: readonly ResourceKind[]
}
