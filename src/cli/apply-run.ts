import type {ApplyEvent, ApplySummary} from '../apply/events.js'
import {eventLine, summaryText} from '../apply/render-events.js'
import {applyPlan} from '../engine/apply.js'
import type {Plan} from '../plan/types.js'
import type {Provider} from '../providers/types.js'
import {style} from '../render/style.js'

export interface ApplyRunOptions {
  readonly plan: Plan
  readonly providers: readonly Provider[]
  readonly parallelism: number
  readonly allowDestroy: boolean
  readonly json: boolean
  readonly color: boolean
}

/**
 * Runs an approved plan: events as Terraform-style lines (or JSON lines), Ctrl-C stops starting
 * new work and lets running operations finish, and the summary ends the output.
 */
export async function runApply(o: ApplyRunOptions): Promise<ApplySummary> {
  const s = style(o.color)
  const onEvent = (e: ApplyEvent) => {
    if (o.json) return void process.stdout.write(JSON.stringify(e) + '\n')
    if (e.type === 'apply_summary') return void process.stdout.write(summaryText(e.summary, s))
    const line = eventLine(e, s)
    if (line) process.stdout.write(line + '\n')
  }
  const controller = new AbortController()
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130)
    process.stderr.write('\nInterrupt received: starting nothing new, waiting for running operations (Ctrl-C again to quit at once).\n')
    controller.abort()
  }
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)
  try {
    return await applyPlan({plan: o.plan, providers: o.providers, parallelism: o.parallelism, allowDestroy: o.allowDestroy, onEvent, signal: controller.signal})
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
}

/** Applies hold the federation lock from before they read until they finish. */
export async function withFederationLock<T>(
  providers: readonly Provider[],
  federation: string,
  project: string,
  operation: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const {GcpProvider} = await import('../providers/gcp/provider.js')
  const {ProjectMetadataLock} = await import('../providers/gcp/lock.js')
  const gcp = providers.find((p) => p instanceof GcpProvider)
  if (!gcp) return fn()
  const lock = new ProjectMetadataLock(gcp.clients, {
    federation,
    project,
    operation,
    ttlMs: 5 * 60_000,
    timeoutMs,
    pollMs: 1_000,
    wait: {timeoutMs: 60_000, pollMs: 200, retry: {attempts: 5, baseMs: 200, maxMs: 2_000}},
  })
  await lock.acquire()
  const release = () => void lock.release()
  process.once('exit', release)
  try {
    return await fn()
  } finally {
    process.off('exit', release)
    await lock.release()
  }
}
