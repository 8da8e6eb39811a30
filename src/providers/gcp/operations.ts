import {ProviderError} from '../../diagnostics/errors.js'
import type {GcpClients} from './client.js'
import {withRetry, type RetryPolicy} from './retry.js'

export interface WaitOptions {
  readonly timeoutMs: number
  readonly pollMs: number
  readonly retry: RetryPolicy
  readonly signal?: AbortSignal
  /** Called while waiting, for progress display. */
  readonly onPoll?: (elapsedMs: number) => void
}

interface ComputeOperation {
  name?: string | null
  status?: string | null
  region?: string | null
  error?: {errors?: {code?: string | null; message?: string | null}[] | null} | null
  httpErrorStatusCode?: number | null
}

/**
 * Compute mutations resolve to `[{latestResponse: Operation}]` with no polling of their own: wait
 * on the right scope (regional when the op names a region) until DONE, then read `error`.
 */
export async function awaitComputeOperation(clients: GcpClients, project: string, resource: string, response: unknown, o: WaitOptions): Promise<void> {
  let op = ((response as {latestResponse?: ComputeOperation})?.latestResponse ?? response) as ComputeOperation
  const start = Date.now()
  while (op.status !== 'DONE') {
    if (Date.now() - start > o.timeoutMs) throw timeout(resource, op.name, o.timeoutMs)
    if (o.signal?.aborted) throw new ProviderError(`waiting for ${resource} was interrupted; operation ${op.name} may still complete`, {resource})
    const region = op.region?.split('/').pop()
    const name = op.name!
    const [next] = await withRetry(
      () =>
        (region
          ? clients.regionOperations.wait({project, region, operation: name})
          : clients.globalOperations.wait({project, operation: name})) as Promise<[ComputeOperation, ...unknown[]]>,
      o.retry,
    )
    op = next
    o.onPoll?.(Date.now() - start)
  }
  const errors = op.error?.errors ?? []
  if (errors.length > 0) {
    const first = errors[0]!
    throw new ProviderError(`operation on ${resource} failed: ${first.message} (${first.code})`, {
      resource,
      status: op.httpErrorStatusCode ?? undefined,
      reason: first.code ?? undefined,
    })
  }
}

interface ContainerOperation {
  name?: string | null
  status?: string | number | null
  error?: {code?: number | null; message?: string | null} | null
  statusMessage?: string | null
}

/** GKE mutations return a plain Operation; poll `getOperation` by its full name until DONE. */
export async function awaitContainerOperation(clients: GcpClients, project: string, location: string, resource: string, op: ContainerOperation, o: WaitOptions): Promise<void> {
  const start = Date.now()
  let current = op
  while (current.status !== 'DONE') {
    if (Date.now() - start > o.timeoutMs) throw timeout(resource, current.name, o.timeoutMs)
    if (o.signal?.aborted) throw new ProviderError(`waiting for ${resource} was interrupted; operation ${current.name} may still complete`, {resource})
    await new Promise((r) => setTimeout(r, o.pollMs))
    const name = `projects/${project}/locations/${location}/operations/${op.name}`
    const [next] = await withRetry(() => clients.clusters.getOperation({name}) as Promise<[ContainerOperation, ...unknown[]]>, o.retry)
    current = next
    o.onPoll?.(Date.now() - start)
  }
  const message = current.error?.message || current.statusMessage
  if (message) throw new ProviderError(`operation on ${resource} failed: ${message}`, {resource, reason: current.error?.code ? `grpc-${current.error.code}` : undefined})
}

function timeout(resource: string, op: string | null | undefined, ms: number): ProviderError {
  return new ProviderError(`timed out after ${Math.round(ms / 1000)}s waiting for operation ${op} on ${resource}`, {
    resource,
    reason: 'timeout',
    hint: 'the operation may still finish on its own; run `mcfed plan` to see where it stands before applying again',
  })
}
