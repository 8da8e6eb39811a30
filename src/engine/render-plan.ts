import type {Plan} from '../plan/types.js'
import type {Sources} from '../render/diagnostics.js'
import {renderJson} from '../render/json.js'
import {renderMarkdown} from '../render/markdown.js'
import {renderText} from '../render/text.js'

export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/** Picks a renderer; every format reads only the plan data. */
export function renderPlan(plan: Plan, format: PlanFormat, options: {color: boolean; sources?: Sources}): string {
  switch (format) {
    case 'json':
      return renderJson(plan)
    case 'markdown':
      return renderMarkdown(plan)
    case 'text':
      return renderText(plan, options)
  }
}
