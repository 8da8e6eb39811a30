import type {ApplySummary, EventSink} from '../apply/events.js'
import {executeSteps} from '../apply/executor.js'
import {planSteps, serializeUpgrades} from '../apply/steps.js'
import {UserError} from '../diagnostics/errors.js'
import type {Plan} from '../plan/types.js'
import type {Provider} from '../providers/types.js'

export interface ApplyRequest {
  readonly plan: Plan
  readonly providers: readonly Provider[]
  readonly parallelism: number
  /** How many clusters upgrade Linkerd at once (default 1: cluster by cluster). */
  readonly upgradeWidth?: number
  readonly allowDestroy: boolean
  readonly onEvent: EventSink
  readonly signal?: AbortSignal
  readonly progressEveryMs?: number
}

/** Refuses plans that must not run; nothing is changed when this throws. */
export function assertApplyable(plan: Plan, allowDestroy: boolean): void {
  if (!plan.applyable) {
    throw new UserError('the plan has errors and cannot be applied', 'fix the errors `mcfed plan` reports, then plan again')
  }
  const guarded = plan.resource_changes.filter((c) => c.guarded)
  if (guarded.length > 0 && !allowDestroy) {
    throw new UserError(
      `the plan destroys live infrastructure and --allow-destroy was not given: ${guarded.map((c) => `${c.address} (${c.action})`).join(', ')}`,
      'read the plan; if destroying these is intended, run apply again with --allow-destroy',
    )
  }
}

/** Runs a plan's steps through the providers that own each kind. */
export async function applyPlan(req: ApplyRequest): Promise<ApplySummary> {
  assertApplyable(req.plan, req.allowDestroy)
  const providerOf = new Map(req.providers.flatMap((p) => p.kinds.map((k) => [k, p] as const)))
  const steps = serializeUpgrades(planSteps(req.plan.resource_changes), req.upgradeWidth ?? 1)
  const missing = [...new Set(steps.map((s) => s.change.kind).filter((k) => !providerOf.has(k)))]
  if (missing.length > 0) throw new UserError(`no provider can change ${missing.join(', ')}`, 'this build has no provider for them yet; `mcfed plan --layer gcp,kube` plans what it can change')
  return executeSteps(steps, {
    parallelism: req.parallelism,
    onEvent: req.onEvent,
    signal: req.signal,
    progressEveryMs: req.progressEveryMs,
    run: (step, signal) => providerOf.get(step.change.kind)!.apply(step.mutation, step.change, signal),
  })
}
