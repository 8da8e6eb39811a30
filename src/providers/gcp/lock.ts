import {randomUUID} from 'node:crypto'

import {parseLease, type LeaseHolder, type LeaseStore} from '../lease.js'
import type {GcpClients} from './client.js'
import {classify, toProviderError} from './errors.js'
import {awaitComputeOperation, type WaitOptions} from './operations.js'
import {withRetry} from './retry.js'

/**
 * The federation lease in the project's common instance metadata under `mcfed-lock-<federation>`.
 * Writes carry the metadata fingerprint, so two writers race safely: the loser gets 412 and
 * re-reads (compare-and-swap, like a GCS `ifGenerationMatch` create). It needs no bucket or network
 * to exist yet and uses the compute API mcfed already talks to.
 */
export class ProjectMetadataLeaseStore implements LeaseStore {
  readonly where: string
  private readonly key: string
  /** The whole metadata as last read: a write must carry every other item back. */
  private items: {key: string; value: string}[] = []

  constructor(
    private readonly clients: GcpClients,
    private readonly project: string,
    federation: string,
    private readonly wait: WaitOptions,
  ) {
    this.key = `mcfed-lock-${federation}`
    this.where = `the metadata of project ${project}`
  }

  async read(): Promise<{lease: LeaseHolder | undefined; version: string}> {
    try {
      const [project] = await withRetry(() => this.clients.projects.get({project: this.project}), this.wait.retry)
      const md = project.commonInstanceMetadata
      this.items = (md?.items ?? []).map((i) => ({key: i.key ?? '', value: i.value ?? ''}))
      return {lease: parseLease(this.items.find((i) => i.key === this.key)?.value), version: md?.fingerprint ?? ''}
    } catch (e) {
      throw toProviderError(`project ${this.project}`, 'reading the lock in', e)
    }
  }

  async write(fingerprint: string, lease: LeaseHolder | undefined): Promise<boolean> {
    const next = this.items.filter((i) => i.key !== this.key)
    if (lease) next.push({key: this.key, value: JSON.stringify(lease)})
    try {
      // One requestId across retries: a write whose answer was lost is replayed, not made twice.
      const requestId = randomUUID()
      const [op] = await withRetry(
        () => this.clients.projects.setCommonInstanceMetadata({project: this.project, requestId, metadataResource: {fingerprint, items: next}}),
        this.wait.retry,
      )
      await awaitComputeOperation(this.clients, this.project, `lock ${this.key}`, op, this.wait)
      return true
    } catch (e) {
      if (classify(e).status === 412) return false
      throw toProviderError(`project ${this.project}`, 'writing the lock in', e)
    }
  }
}
