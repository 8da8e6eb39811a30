import type {ExpectedFailure, PhaseView} from './judge.js'
import type {RecordedDeployment} from './record.js'

/** 1.0: the first drill report. */
export const DRILL_FORMAT_VERSION = '1.0'

/** What a drill did and saw; `ok` when the mesh behaved as the spec implies throughout. */
export interface DrillReport {
  readonly format_version: string
  readonly federation: string
  readonly drill: 'cluster-loss'
  readonly cluster: string
  /** The spec services taken down (more than asked when a Deployment backs several). */
  readonly services: readonly string[]
  readonly dry_run: boolean
  /** Every Deployment scaled to zero, with the replica count it was recorded at and restored to. */
  readonly deployments: readonly RecordedDeployment[]
  /** Where the record was kept while the cluster was down. */
  readonly record: string
  readonly phases: {readonly before: PhaseView; readonly during?: PhaseView; readonly after?: PhaseView}
  readonly expected_failures: readonly ExpectedFailure[]
  /** How the mesh differed from what the spec implies; empty when the drill passed. */
  readonly problems: readonly string[]
  /** From the scale-down until every other cluster showed the loss as the spec implies. */
  readonly loss_seconds?: number
  /** From the restore until every Deployment was ready and the mesh was as before. */
  readonly recovery_seconds?: number
  /** Stopped by a signal: restored, but not watched to the end. */
  readonly interrupted?: string
  readonly ok: boolean
}
