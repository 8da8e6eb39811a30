import type {Plan} from '../plan/types.js'

/** The plan as stable JSON: the format `-o plan.json` saves and `show` reads back. */
export function renderJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n'
}
