import {ProviderError} from '../../diagnostics/errors.js'
import {mergeObservations} from '../../kinds/kind.js'
import {gcpKindOf, gcpKinds} from '../../kinds/registry.js'
import type {GcpKind} from '../../kinds/gcp/gcp-kind.js'
import type {ResourceKind} from '../../graph/resource.js'
import type {ResourceChange} from '../../plan/types.js'
import {networkProject} from '../../graph/topology.js'
import type {FederationSpec} from '../../spec/types.js'
import {fingerprintOf} from '../fingerprint.js'
import type {Mutation, Provider, ProviderRead} from '../types.js'
import {createGcpClients, type GcpClients, type GcpTarget} from './client.js'
import {classify, toProviderError} from './errors.js'
import {KeyedMutex} from '../../util/keyed-mutex.js'
import type {ListedCluster} from './listed-fields.js'
import {listGcp, masked, observeContext, type GcpList} from './listing.js'
import type {MutationContext} from './mutation.js'
import type {WaitOptions} from './operations.js'
import {DEFAULT_RETRY, withRetry, type RetryPolicy} from './retry.js'

export interface GcpProviderOptions {
  readonly target: GcpTarget
  readonly project: string
  readonly retry?: RetryPolicy
  /** Longest wait for one compute operation. */
  readonly operationTimeoutMs?: number
  /** Longest wait for one GKE operation (cluster creation takes minutes on real GCP). */
  readonly clusterTimeoutMs?: number
  readonly pollMs?: number
  readonly onRetry?: (address: string, attempt: number, delayMs: number, reason: string) => void
}

/** Kinds the GCP provider manages: every kind of the gcp layer in the registry. */
export const GCP_KINDS: readonly ResourceKind[] = gcpKinds().map((k) => k.kind as ResourceKind)

export class GcpProvider implements Provider {
  readonly kinds = GCP_KINDS
  readonly name = 'gcp'
  readonly tellsFacts = false
  readonly clients: GcpClients
  private readonly peeringLocks = new KeyedMutex()
  private readonly retry: RetryPolicy

  constructor(private readonly options: GcpProviderOptions) {
    this.clients = createGcpClients(options.target)
    this.retry = options.retry ?? DEFAULT_RETRY
  }

  private clusterList: Promise<ListedCluster[]> | undefined

  /** Each list the kinds ask for, once, in parallel; then every kind maps what it listed. */
  async read(spec: FederationSpec): Promise<ProviderRead> {
    this.clusterList = undefined
    const kinds = gcpKinds()
    const wanted = new Set<GcpList>(kinds.flatMap((k) => k.lists))
    const listing = await listGcp(this.clients, spec.metadata.name, {clusters: this.options.project, network: networkProject(spec)}, this.retry, wanted, () => this.clusters(false))
    const ctx = observeContext(spec, listing)
    const {resources, diagnostics} = mergeObservations(kinds.map((k) => k.observe(listing, ctx)))
    resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    return {resources, diagnostics, fingerprint: fingerprintOf(resources, ['fingerprint', 'status'])}
  }

  /** GKE clusters of the project, listed once per read and shared with the Kubernetes provider. */
  clusters(fresh: boolean): Promise<ListedCluster[]> {
    if (fresh || !this.clusterList) {
      const parent = `projects/${this.options.project}/locations/-`
      this.clusterList = withRetry(async () => (await this.clients.lists.clusters.listClusters({parent}, masked('clusters')))[0].clusters ?? [], this.retry)
    }
    return this.clusterList
  }

  apply(step: Mutation, change: ResourceChange, signal?: AbortSignal): Promise<void> {
    const wait = (timeoutMs: number): WaitOptions => ({timeoutMs, pollMs: this.options.pollMs ?? 2_000, retry: this.retry, signal})
    const ctx: MutationContext = {
      clients: this.clients,
      project: this.options.project,
      retry: this.retry,
      wait: wait(this.options.operationTimeoutMs ?? 10 * 60_000),
      clusterWait: wait(this.options.clusterTimeoutMs ?? 45 * 60_000),
      peeringLocks: this.peeringLocks,
    }
    return mutate(gcpKindOf(change.kind), ctx, step, change)
  }

  close(): Promise<void> {
    return this.clients.close()
  }
}

async function mutate(kind: GcpKind | undefined, ctx: MutationContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  if (!kind) throw new ProviderError(`${change.address}: not a GCP resource`, {resource: change.address})
  try {
    await kind.mutate(ctx, mutation, change)
  } catch (e) {
    // A delete that finds nothing is done: someone else deleted it, or our own attempt whose answer was lost did.
    if (mutation === 'delete' && classify(e).status === 404) return
    throw toProviderError(change.address, mutation === 'create' ? 'creating' : mutation === 'update' ? 'updating' : 'deleting', e)
  }
}

