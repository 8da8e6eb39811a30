import {isProviderError} from '../diagnostics/errors.js'
import type {ApplyError, ApplySummary, EventSink} from './events.js'
import type {Step} from './steps.js'

export interface ExecutorOptions {
  readonly parallelism: number
  /** Called for each step; throws on failure. */
  readonly run: (step: Step, signal: AbortSignal) => Promise<void>
  readonly onEvent: EventSink
  /** Aborted: start nothing new, let running steps finish. */
  readonly signal?: AbortSignal
  /** How often a running step reports it is still going. */
  readonly progressEveryMs?: number
}

/**
 * Walks the steps as a DAG with at most `parallelism` in flight. A failure skips everything that
 * depends on it, transitively; independent branches keep going. Never throws: the summary says
 * what was done, what failed (with the API's reason) and what was skipped.
 */
export async function executeSteps(steps: readonly Step[], o: ExecutorOptions): Promise<ApplySummary> {
  const byId = new Map(steps.map((s) => [s.id, s]))
  const waitingOn = new Map(steps.map((s) => [s.id, new Set(s.after.filter((a) => byId.has(a)))]))
  const dependents = new Map<string, string[]>()
  for (const s of steps) {
    for (const a of s.after) {
      if (!byId.has(a)) continue
      const list = dependents.get(a) ?? []
      list.push(s.id)
      dependents.set(a, list)
    }
  }
  const done: string[] = []
  const failed: {step: string; error: ApplyError}[] = []
  const skipped: string[] = []
  const settled = new Set<string>()
  const ready = steps.filter((s) => waitingOn.get(s.id)!.size === 0).map((s) => s.id)
  const internal = new AbortController()
  o.signal?.addEventListener('abort', () => internal.abort(), {once: true})
  o.onEvent({type: 'apply_start', steps: steps.length})

  const skip = (id: string, because: string) => {
    for (const d of dependents.get(id) ?? []) {
      if (settled.has(d)) continue
      settled.add(d)
      skipped.push(d)
      const s = byId.get(d)!
      o.onEvent({type: 'step_skipped', step: d, address: s.address, because})
      skip(d, because)
    }
  }

  await new Promise<void>((resolve) => {
    let running = 0
    const pump = () => {
      while (running < o.parallelism && ready.length > 0 && !o.signal?.aborted) {
        const id = ready.shift()!
        if (settled.has(id)) continue
        running++
        void start(byId.get(id)!).finally(() => {
          running--
          pump()
        })
      }
      if (running === 0 && (ready.length === 0 || o.signal?.aborted)) resolve()
    }
    const start = async (s: Step) => {
      const t0 = Date.now()
      o.onEvent({type: 'step_start', step: s.id, address: s.address, mutation: s.mutation})
      const ticker = setInterval(
        () => o.onEvent({type: 'step_progress', step: s.id, address: s.address, mutation: s.mutation, elapsed_ms: Date.now() - t0}),
        o.progressEveryMs ?? 10_000,
      )
      try {
        await o.run(s, internal.signal)
        settled.add(s.id)
        done.push(s.id)
        o.onEvent({type: 'step_done', step: s.id, address: s.address, mutation: s.mutation, elapsed_ms: Date.now() - t0})
        for (const d of dependents.get(s.id) ?? []) {
          const w = waitingOn.get(d)!
          w.delete(s.id)
          if (w.size === 0 && !settled.has(d)) ready.push(d)
        }
      } catch (e) {
        settled.add(s.id)
        const error = toApplyError(e)
        failed.push({step: s.id, error})
        o.onEvent({type: 'step_failed', step: s.id, address: s.address, mutation: s.mutation, elapsed_ms: Date.now() - t0, error})
        skip(s.id, `${s.address} failed`)
      } finally {
        clearInterval(ticker)
      }
    }
    pump()
  })
  const interrupted = steps.map((s) => s.id).filter((id) => !settled.has(id))
  const summary: ApplySummary = {done, failed, skipped, interrupted}
  o.onEvent({type: 'apply_summary', summary})
  return summary
}

function toApplyError(e: unknown): ApplyError {
  if (isProviderError(e)) {
    return {message: e.message, ...(e.details.reason ? {reason: e.details.reason} : {}), ...(e.details.status ? {status: e.details.status} : {}), ...(e.details.hint ? {hint: e.details.hint} : {})}
  }
  return {message: e instanceof Error ? e.message : String(e)}
}
