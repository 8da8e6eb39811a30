import type {ValidationResult} from '../engine/validate.js'
import {mcfedVersion} from '../engine/version.js'
import type {PlanFormat} from '../engine/render-plan.js'
import {failedPlan, renderFailedPlanJson, renderFailedPlanMarkdown, type FailedPlan} from '../render/failed-plan.js'
import {reportInvalidSpec} from './spec-input.js'

/**
 * Reports an invalid spec where the reader of `format` looks: text on stderr as for every command,
 * JSON and Markdown on stdout in place of the plan. With --json the command's result carries it.
 */
export function reportInvalidPlan(invalid: ValidationResult, options: {format: PlanFormat; json: boolean; color: boolean; what: string}): FailedPlan {
  const failed = failedPlan({file: invalid.file, federation: invalid.parsed.name, mcfedVersion: mcfedVersion(), diagnostics: invalid.diagnostics})
  if (options.json) return failed
  if (options.format === 'json') process.stdout.write(renderFailedPlanJson(failed))
  else if (options.format === 'markdown') process.stdout.write(renderFailedPlanMarkdown(failed, invalid.sources))
  else reportInvalidSpec(invalid, options.color, options.what)
  return failed
}
