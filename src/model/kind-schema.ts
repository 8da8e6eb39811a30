import type {Attributes} from './json.js'

export type Layer = 'gcp' | 'kube'

/** A plan step for one resource: what a kind's `mutate` is asked to do. */
export type Mutation = 'create' | 'update' | 'delete'

/**
 * Per-kind diff semantics, kept as data (like CDK's `causesReplacement` and Pulumi's ReplaceKeys)
 * so the planner has no kind-specific branches.
 */
export interface KindSchema {
  readonly layer: Layer
  /** Attributes the API cannot change in place: a difference means replace. */
  readonly forcesReplacement: readonly string[]
  /** Server-defaulted or output attributes: shown, never compared. */
  readonly ignored: readonly string[]
  /** Values never printed in any output format. */
  readonly sensitive: readonly string[]
  /** How a replace runs: names that must be unique force delete first. */
  readonly replaceOrder: 'delete-then-create' | 'create-then-delete'
  /** Deleting or replacing it destroys workloads or networks: apply needs --allow-destroy. */
  readonly destroyGuarded: boolean
  /** One line for help and plan legends. */
  readonly description: string
  /**
   * Its deletes wait for the creates and updates of these kinds in the same cluster: a firewall
   * rule that another replaces (per-peer rules by one rule per network) goes only once the new one
   * exists, so no traffic is dropped in between; an old credential generation is revoked only once
   * the Link and the destination controller use the new one.
   */
  readonly deleteAfterWritesOf?: readonly string[]
  /** Why the live object goes although the spec still names its kind of thing (a credential generation replaced). */
  readonly deleteReason?: (live: Attributes) => string
  /**
   * Why the live object must be replaced although the spec did not change: facts the read
   * observed (an issuer near expiry, credentials for a deleted account), by the attribute they
   * force. The planner shows the reason; the attribute is what compares.
   */
  readonly replaceReasons?: Readonly<Record<string, (live: Attributes) => string>>
}
