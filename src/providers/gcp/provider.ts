import type {ResourceKind} from '../../graph/resource.js'
import type {ResourceChange} from '../../plan/types.js'
import type {FederationSpec} from '../../spec/types.js'
import type {Mutation, Provider, ProviderRead} from '../types.js'
import {createGcpClients, type GcpClients, type GcpTarget} from './client.js'
import {KeyedMutex} from './keyed-mutex.js'
import {mutateGcp, type MutationContext} from './mutate.js'
import type {WaitOptions} from './operations.js'
import {readGcp} from './read.js'
import {DEFAULT_RETRY, withRetry, type RetryPolicy} from './retry.js'
import type {GkeCluster} from './read.js'

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

export const GCP_KINDS: readonly ResourceKind[] = ['gcp_network', 'gcp_subnetwork', 'gcp_peering', 'gcp_firewall', 'gke_cluster']

export class GcpProvider implements Provider {
  readonly kinds = GCP_KINDS
  readonly name = 'gcp'
  readonly clients: GcpClients
  private readonly peeringLocks = new KeyedMutex()
  private readonly retry: RetryPolicy

  constructor(private readonly options: GcpProviderOptions) {
    this.clients = createGcpClients(options.target)
    this.retry = options.retry ?? DEFAULT_RETRY
  }

  private clusterList: Promise<GkeCluster[]> | undefined

  read(spec: FederationSpec): Promise<ProviderRead> {
    this.clusterList = undefined
    return readGcp(this.clients, spec, this.retry, this.clusters(false))
  }

  /** GKE clusters of the project, listed once per read and shared with the Kubernetes provider. */
  clusters(fresh: boolean): Promise<GkeCluster[]> {
    if (fresh || !this.clusterList) {
      const parent = `projects/${this.options.project}/locations/-`
      this.clusterList = withRetry(async () => (await this.clients.clusters.listClusters({parent}))[0].clusters ?? [], this.retry)
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
    return mutateGcp(ctx, step, change)
  }

  close(): Promise<void> {
    return this.clients.close()
  }
}
