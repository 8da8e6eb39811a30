import type {Plan} from '../plan/types.js'
import type {Sources} from '../render/diagnostics.js'
import {renderJsonChunks} from '../render/json.js'
import {renderMarkdown} from '../render/markdown.js'
import {renderTextChunks} from '../render/text.js'

export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/** Picks a renderer; every format reads only the plan data. */
export function renderPlan(plan: Plan, format: PlanFormat, options: {color: boolean; sources?: Sources}): string {
  return [...renderPlanChunks(plan, format, options)].join('')
}

/** The rendered plan in pieces, for printing without holding it whole (text is rendered block by block). */
export function* renderPlanChunks(plan: Plan, format: PlanFormat, options: {color: boolean; sources?: Sources}): Generator<string> {
  if (format === 'text') yield* renderTextChunks(plan, options)
  else if (format === 'json') yield* renderJsonChunks(plan)
  else yield renderMarkdown(plan)
}
