import {readFile, writeFile} from 'node:fs/promises'

import {UserError} from '../diagnostics/errors.js'
import {PLAN_FORMAT_VERSION, type Plan} from '../plan/types.js'
import {validatePlanJson} from '../plan/plan-schema.js'

/** Writes a plan with owner-only permissions: it names the estate even though it holds no secret. */
export async function savePlan(path: string, plan: Plan): Promise<void> {
  await writeFile(path, JSON.stringify(plan, null, 2) + '\n', {mode: 0o600})
}

/** Reads a saved plan, refusing files that are not plans or come from another format version. */
export async function loadPlan(path: string): Promise<Plan> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new UserError(
      code === 'ENOENT' ? `plan file ${path} does not exist` : `plan file ${path} is not JSON: ${(e as Error).message}`,
      'save a plan with `mcfed plan -o plan.json`',
    )
  }
  const version = (data as {format_version?: unknown} | null)?.format_version
  if (typeof version === 'string' && version.split('.')[0] !== PLAN_FORMAT_VERSION.split('.')[0]) {
    throw new UserError(`plan file ${path} has format_version ${version}; this mcfed reads ${PLAN_FORMAT_VERSION}`, 're-run `mcfed plan -o` with this version of mcfed')
  }
  const problems = validatePlanJson(data)
  if (problems.length > 0) {
    throw new UserError(`plan file ${path} is not a valid mcfed plan: ${problems.slice(0, 3).join('; ')}`, 'save a plan with `mcfed plan -o plan.json`')
  }
  return data as Plan
}
