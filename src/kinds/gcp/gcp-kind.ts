import type {ResourceChange} from '../../plan/types.js'
import type {GcpList, GcpListing, GcpObserveContext} from '../../providers/gcp/listing.js'
import type {MutationContext} from '../../providers/gcp/mutation.js'
import type {KindSchema, Mutation} from '../../model/kind-schema.js'
import {KIND_SCHEMAS, type GcpKindName} from '../../model/kinds.js'
import type {Observation} from '../kind.js'

/** Everything about one GCP resource kind: its diff semantics, how it is read, how it is changed. */
export interface GcpKind<K extends string = string> {
  readonly kind: K
  readonly schema: KindSchema & {readonly layer: 'gcp'}
  /** The project lists its read needs; each list is made once per read for all kinds. */
  readonly lists: readonly GcpList[]
  /** Maps the listed API objects to observed resources. Pure: no calls. */
  observe(listing: GcpListing, ctx: GcpObserveContext): Observation
  /** One plan step, built from the change's `before` (delete) or `after` (create, update). */
  mutate(ctx: MutationContext, mutation: Mutation, change: ResourceChange): Promise<void>
}

/** A GCP kind: its reads and writes here, its schema from the kind catalog by its name. */
export function gcpKind<K extends GcpKindName>(kind: K, definition: Omit<GcpKind<K>, 'kind' | 'schema'>): GcpKind<K> {
  return {kind, ...definition, schema: KIND_SCHEMAS[kind]}
}
