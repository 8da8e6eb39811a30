import type {ResourceChange} from '../../plan/types.js'
import type {GcpList, GcpListing, GcpObserveContext} from '../../providers/gcp/listing.js'
import type {MutationContext} from '../../providers/gcp/mutation.js'
import type {KindSchema, Mutation, Observation} from '../kind.js'

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

export function gcpKind<K extends string>(kind: K, definition: Omit<GcpKind<K>, 'kind'>): GcpKind<K> {
  return {kind, ...definition}
}
