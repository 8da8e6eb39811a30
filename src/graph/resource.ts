import type {ObjectChange} from '../plan/types.js'

import type {Attributes} from '../model/json.js'
import type {ResourceKind} from '../model/kinds.js'

export type {Attributes, Json} from '../model/json.js'
export type {ResourceKind} from '../model/kinds.js'

/**
 * A resource mcfed wants to exist. `address` is `kind.name` and is stable across runs: it is what
 * plans, `--target`, errors and JSON output refer to.
 */
export interface DesiredResource {
  readonly address: string
  readonly kind: ResourceKind
  readonly name: string
  /** The cluster the resource belongs to (a peering half or firewall belongs to its network's cluster). */
  readonly cluster: string
  readonly attributes: Attributes
  /** Attributes whose values exist only after apply (a cluster endpoint, a gateway address). */
  readonly unknown: readonly string[]
  /**
   * Attributes copied from another resource (attribute → address). When that resource is created
   * or replaced the value cannot be known at plan time, so the attribute becomes unknown.
   */
  readonly inputs: Readonly<Record<string, string>>
  readonly dependsOn: readonly string[]
  /**
   * Resources whose replacement destroys this one too: a subnet dies with its network, a cluster
   * with its subnet, everything inside a cluster with the cluster. Each is also a dependency.
   */
  readonly replacedWith: readonly string[]
  /** Why it is wanted, when the spec alone does not say (a new credential generation renews one due). */
  readonly reason?: string
  /** Its change destroys something apply cannot take back (a rotation's drop of the old anchor): apply needs --allow-destroy. */
  readonly guarded?: true
}

/** A resource as read from the live estate. */
export interface ObservedResource {
  readonly address: string
  readonly kind: ResourceKind
  readonly name: string
  readonly cluster: string
  readonly attributes: Attributes
  /** Carries this federation's ownership marker; only owned resources may be deleted. */
  readonly owned: boolean
  readonly dependsOn?: readonly string[]
  /** A rendered component's objects that differ from its render; any makes the component an update. */
  readonly objectChanges?: readonly ObjectChange[]
}

export function address(kind: ResourceKind, name: string): string {
  return `${kind}.${name}`
}

const clusterAddresses = new Map<ResourceKind, Map<string, string>>()

/**
 * `address(kind, cluster)` for a kind with one resource per cluster, as one string per cluster:
 * 15,000 links naming their cluster's `gke_cluster` and extension share two strings instead of
 * building 30,000, each of which the dependency order would then flatten and hash.
 */
export function clusterAddress(kind: ResourceKind, cluster: string): string {
  let byCluster = clusterAddresses.get(kind)
  if (!byCluster) clusterAddresses.set(kind, (byCluster = new Map()))
  let a = byCluster.get(cluster)
  if (a === undefined) byCluster.set(cluster, (a = address(kind, cluster)))
  return a
}

/** What most resources have: nothing unknown, no inputs. Shared and frozen, not 100,000 empty copies. */
export const NO_UNKNOWNS: readonly string[] = Object.freeze([])
export const NO_INPUTS: Readonly<Record<string, string>> = Object.freeze({})
