import type {PlanSummary} from '../plan/types.js'

/** What apply reports as it goes; `--json-events` prints one per line, a terminal gets Terraform-style lines. */
export type ApplyEvent =
  | {readonly type: 'apply_start'; readonly steps: number}
  | {readonly type: 'step_start'; readonly step: string; readonly address: string; readonly mutation: string}
  | {readonly type: 'step_progress'; readonly step: string; readonly address: string; readonly mutation: string; readonly elapsed_ms: number}
  | {readonly type: 'step_retry'; readonly step: string; readonly address: string; readonly attempt: number; readonly delay_ms: number; readonly reason: string}
  | {readonly type: 'step_done'; readonly step: string; readonly address: string; readonly mutation: string; readonly elapsed_ms: number}
  | {readonly type: 'step_failed'; readonly step: string; readonly address: string; readonly mutation: string; readonly elapsed_ms: number; readonly error: ApplyError}
  | {readonly type: 'step_skipped'; readonly step: string; readonly address: string; readonly because: string}
  | {readonly type: 'apply_summary'; readonly summary: ApplySummary}

export interface ApplyError {
  readonly message: string
  readonly reason?: string
  readonly status?: number
  readonly hint?: string
}

export interface ApplySummary {
  readonly done: readonly string[]
  readonly failed: readonly {readonly step: string; readonly error: ApplyError}[]
  readonly skipped: readonly string[]
  /** Not started because apply was interrupted. */
  readonly interrupted: readonly string[]
}

/** What `apply --json` and `destroy --json` print: the plan they ran and how it went. */
export interface ApplyResult {
  readonly federation: string
  readonly operation: 'apply' | 'destroy'
  /** `nothing-to-do` when the plan had no changes; `failed` when a step failed or the run was interrupted. */
  readonly outcome: 'applied' | 'nothing-to-do' | 'failed'
  readonly plan: PlanSummary
  /** Present when the plan was narrowed with --target. */
  readonly targets?: readonly string[]
  readonly summary: ApplySummary
}

export type EventSink = (e: ApplyEvent) => void
