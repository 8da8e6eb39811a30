import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {PLAN_FORMAT_VERSION} from '../plan/types.js'
import {diagnosticCounts, renderDiagnostics, type Sources} from './diagnostics.js'
import {commentMarker, diagnosticItems} from './markdown.js'
import {style} from './style.js'

/**
 * What `plan --json` and `--format json|markdown` print when the spec is invalid: no plan, the
 * diagnostics in the format the reader asked for, so a PR comment says why the plan failed.
 */
export interface FailedPlan {
  readonly format_version: string
  readonly mcfed_version: string
  /** `metadata.name` when it could be read, so a CI comment can still be updated in place. */
  readonly federation: string | null
  readonly file: string
  readonly valid: false
  readonly applyable: false
  readonly diagnostics: readonly Diagnostic[]
}

export function failedPlan(input: {file: string; federation?: string; mcfedVersion: string; diagnostics: readonly Diagnostic[]}): FailedPlan {
  return {
    format_version: PLAN_FORMAT_VERSION,
    mcfed_version: input.mcfedVersion,
    federation: input.federation ?? null,
    file: input.file,
    valid: false,
    applyable: false,
    diagnostics: input.diagnostics,
  }
}

export function renderFailedPlanJson(failed: FailedPlan): string {
  return JSON.stringify(failed, null, 2) + '\n'
}

/** The same marker as a plan comment, so the failure replaces the last plan instead of adding a comment. */
export function renderFailedPlanMarkdown(failed: FailedPlan, sources: Sources): string {
  const name = failed.federation ?? 'unknown'
  const lines = [
    commentMarker(name),
    `### mcfed plan: \`${name}\` failed`,
    '',
    `> ❌ **The plan failed:** \`${failed.file}\` is invalid (${diagnosticCounts(failed.diagnostics)}). Nothing was read or changed.`,
    '',
    '#### Diagnostics',
    '',
    ...diagnosticItems(failed.diagnostics),
    '',
    '<details><summary>Details</summary>',
    '',
    '```',
    renderDiagnostics(failed.diagnostics, style(false), sources),
    '```',
    '</details>',
    '',
    `<sub>mcfed ${failed.mcfed_version}</sub>`,
    '',
  ]
  return lines.join('\n')
}
