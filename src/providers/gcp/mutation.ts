import {randomUUID} from 'node:crypto'

import type {Json} from '../../graph/resource.js'
import type {Mutation} from '../../model/kind-schema.js'
import type {ResourceChange} from '../../plan/types.js'
import type {GcpClients} from './client.js'
import type {KeyedMutex} from '../../util/keyed-mutex.js'
import {awaitComputeOperation, type WaitOptions} from './operations.js'
import {withRetry, type RetryPolicy} from './retry.js'

/** What a GCP kind's create, update and delete work with: the clients and the project, never the spec. */
export interface MutationContext {
  readonly clients: GcpClients
  readonly project: string
  readonly retry: RetryPolicy
  readonly wait: WaitOptions
  readonly clusterWait: WaitOptions
  readonly peeringLocks: KeyedMutex
}

export type Attrs = {readonly [key: string]: Json}

/** Compute mutations carry one requestId across retries, so a retried insert never runs twice. */
export async function compute(ctx: MutationContext, resource: string, call: (requestId: string) => Promise<unknown>): Promise<void> {
  const requestId = randomUUID()
  const [op] = (await withRetry(() => call(requestId) as Promise<unknown[]>, ctx.retry)) as unknown[]
  await awaitComputeOperation(ctx.clients, ctx.project, resource, op, ctx.wait)
}

export const str = (v: Json | undefined): string => String(v ?? '')
export const changed = (c: ResourceChange, path: string): boolean => c.changes.some((x) => x.path === path)
export const networkRef = (project: string, name: Json | undefined): string => `projects/${project}/global/networks/${str(name)}`

/**
 * What a step works on: the change's `before` for a delete, its `after` otherwise, and the
 * project that holds the object (a Shared VPC host when the plan says so), whose operations it awaits.
 */
export function stepTarget(ctx: MutationContext, m: Mutation, c: ResourceChange): {ctx: MutationContext; a: Attrs; project: string} {
  const a = (m === 'delete' ? c.before : c.after) ?? {}
  const project = str(a.project) || ctx.project
  return {ctx: project === ctx.project ? ctx : {...ctx, project}, a, project}
}
