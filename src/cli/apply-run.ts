import type {ApplyEvent, ApplyResult, ApplySummary} from '../apply/events.js'
import {eventLine, summaryText} from '../apply/render-events.js'
import {UserError} from '../diagnostics/errors.js'
import {applyPlan, assertApplyable} from '../engine/apply.js'
import type {Sources} from '../render/diagnostics.js'
import {renderTextChunks} from '../render/text.js'
import {writeChunks} from '../util/write-chunks.js'
import type {FederationSpec} from '../spec/types.js'
import {durationFlag} from './apply-flags.js'
import {confirm} from './confirm.js'
import {withLockedEstate as lockedEstate} from '../engine/estate.js'
import {resolveGcpTarget, selectedLayers} from './target.js'
import {DEFAULT_PARALLELISM} from './apply-flags.js'
import type {Plan} from '../plan/types.js'
import type {Provider} from '../providers/types.js'
import {style} from '../render/style.js'

export interface ApplyRunOptions {
  readonly plan: Plan
  readonly providers: readonly Provider[]
  /** `--parallelism`, if given: operations at once, and clusters upgraded at once. */
  readonly parallelism: number | undefined
  readonly allowDestroy: boolean
  /** Where progress goes: Terraform-style lines, NDJSON events (`--json-events`), or nowhere (`--json`). */
  readonly progress: 'text' | 'events' | 'none'
  readonly color: boolean
}

/** `--json` and `--json-events` pick how progress shows; the rest of the run is the same. */
export function progressMode(json: boolean, events: boolean | undefined): ApplyRunOptions['progress'] {
  return events ? 'events' : json ? 'none' : 'text'
}

/**
 * Runs an approved plan: events as Terraform-style lines (or JSON lines), Ctrl-C stops starting
 * new work and lets running operations finish, and the summary ends the output.
 */
export async function runApply(o: ApplyRunOptions): Promise<ApplySummary> {
  const s = style(o.color)
  const onEvent = (e: ApplyEvent) => {
    if (o.progress === 'none') return
    if (o.progress === 'events') return void process.stdout.write(JSON.stringify(e) + '\n')
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
    return await applyPlan({plan: o.plan, providers: o.providers, parallelism: o.parallelism ?? DEFAULT_PARALLELISM, upgradeWidth: o.parallelism ?? 1, allowDestroy: o.allowDestroy, onEvent, signal: controller.signal})
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
}

export interface EstateOptions {
  readonly spec: FederationSpec
  readonly flags: {
    readonly file: string
    readonly sandbox?: boolean
    readonly 'gcp-endpoint'?: string
    readonly layer?: string | string[]
    readonly 'lock-timeout': string
    readonly 'operation-timeout': string
    readonly 'linkerd-cli'?: string
    /** Operations at once; bounds the clusters read at once too. */
    readonly parallelism?: number
  }
  /** Overrides `flags.layer` (a saved plan brings its own). */
  readonly layers?: readonly string[]
  readonly operation: 'apply' | 'destroy'
}

/**
 * Providers for the selected layers, under the federation lease (whatever layers are selected:
 * a Kubernetes-only apply writes too), always closed afterwards.
 */
export async function withLockedEstate<T>(o: EstateOptions, fn: (providers: readonly Provider[]) => Promise<T>): Promise<T> {
  const lockTimeout = durationFlag('lock-timeout', o.flags['lock-timeout'])
  const operationTimeoutMs = durationFlag('operation-timeout', o.flags['operation-timeout'])
  const tuning = {operationTimeoutMs, specFile: o.flags.file, layers: o.layers ?? selectedLayers(o.flags.layer), linkerdCli: o.flags['linkerd-cli'], readParallelism: o.flags.parallelism}
  return lockedEstate(o.spec, resolveGcpTarget(o.flags), tuning, {operation: o.operation, timeoutMs: lockTimeout}, fn)
}

/**
 * Terraform's interactive path: show the plan, stop if there is nothing to do, refuse what must
 * not run, ask (unless --auto-approve), apply. Returns what `--json` prints.
 */
export async function showConfirmApply(
  o: Omit<ApplyRunOptions, 'allowDestroy'> & {
    readonly flags: {readonly 'auto-approve': boolean; readonly 'allow-destroy': boolean}
    readonly operation: ApplyResult['operation']
    readonly question: string
    readonly cancelled: string
    readonly sources?: Sources
  },
): Promise<ApplyResult> {
  if (o.progress === 'text') await writeChunks(process.stdout, renderTextChunks(o.plan, {color: o.color, sources: o.sources}))
  // A rotation under way is drift that the next applies (or time, at a gate) resolve: not one an installer must fix.
  const unfixable = o.plan.diagnostics.filter((d) => d.drift && !d.rule.startsWith('certs/rotation'))
  const sayUnfixable = () => {
    if (unfixable.length === 0 || o.progress !== 'text') return
    const rules = [...new Set(unfixable.map((d) => d.rule))].join(', ')
    process.stderr.write(`${style(o.color).warning(`apply cannot fix ${unfixable.length} finding${unfixable.length === 1 ? '' : 's'} (${rules}): they belong to whoever installs Linkerd; the hints above say what to change.`)}\n`)
  }
  if (!o.plan.resource_changes.some((c) => c.action !== 'no-op')) {
    sayUnfixable()
    return applyResult(o.plan, o.operation, {done: [], failed: [], skipped: [], interrupted: []})
  }
  assertApplyable(o.plan, o.flags['allow-destroy'])
  if (!o.flags['auto-approve'] && !(await confirm(o.question))) throw new UserError(o.cancelled)
  const summary = await runApply({...o, allowDestroy: o.flags['allow-destroy']})
  sayUnfixable()
  return applyResult(o.plan, o.operation, summary)
}

export function applyResult(plan: Plan, operation: ApplyResult['operation'], summary: ApplySummary): ApplyResult {
  const changed = plan.resource_changes.some((c) => c.action !== 'no-op')
  return {
    federation: plan.federation,
    operation,
    outcome: !succeeded(summary) ? 'failed' : changed ? 'applied' : 'nothing-to-do',
    plan: plan.summary,
    ...(plan.targets?.length ? {targets: plan.targets} : {}),
    summary,
  }
}

export function succeeded(summary: ApplySummary): boolean {
  return summary.failed.length === 0 && summary.interrupted.length === 0
}
