import {createWriteStream} from 'node:fs'
import {readFile} from 'node:fs/promises'

import {UserError} from '../diagnostics/errors.js'
import {PLAN_FORMAT_VERSION, type Plan} from '../plan/types.js'
import {specFingerprint} from './plan.js'
import {renderJsonChunks} from '../render/json.js'
import {writeChunks} from '../util/write-chunks.js'

/** Writes a plan with owner-only permissions: it names the estate even though it holds no secret. */
export async function savePlan(path: string, plan: Plan): Promise<void> {
  const file = createWriteStream(path, {mode: 0o600})
  try {
    await writeChunks(file, renderJsonChunks(plan))
  } finally {
    await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())))
  }
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
  // ajv compiles the plan schema on load: only commands that read a saved plan pay for it.
  const {validatePlanJson} = await import('../plan/plan-schema.js')
  const problems = validatePlanJson(data)
  if (problems.length > 0) {
    throw new UserError(`plan file ${path} is not a valid mcfed plan: ${problems.slice(0, 3).join('; ')}`, 'save a plan with `mcfed plan -o plan.json`')
  }
  return data as Plan
}

/**
 * The layers a saved plan read, and so the ones applying it must read and change: like a
 * Terraform plan file carries its -target, a plan made with --layer stays that narrow. A --layer
 * given at apply must agree; an offline plan read nothing and cannot be checked for staleness.
 */
export function savedPlanLayers(plan: Plan, path: string, requested: readonly string[] | undefined): string[] {
  if (plan.mode === 'offline') {
    throw new UserError(`saved plan ${path} was made with --offline: it read no live state and cannot be applied`, 'make a live plan with `mcfed plan -o plan.json` and apply that')
  }
  const layers = Object.keys(plan.fingerprints)
    .filter((k) => k !== 'spec')
    .sort()
  if (requested && [...requested].sort().join(',') !== layers.join(',')) {
    const noun = layers.length === 1 ? 'layer' : 'layers'
    throw new UserError(`saved plan ${path} covers the ${layers.join(', ')} ${noun}, not ${requested.join(', ')}`, 'drop --layer (and MCFED_LAYERS) to apply the plan as it was made, or make a new plan for those layers')
  }
  return layers
}

/** A saved plan is stale when anything it read, or the spec, changed since. */
export function staleSources(saved: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): string[] {
  return Object.keys({...saved, ...now})
    .filter((k) => saved[k] !== now[k])
    .sort()
}

/** Refuses a saved plan whose spec or estate moved since it was made: apply would act on a past. */
export function assertFresh(plan: Plan, path: string, specText: string, estateFingerprints: Readonly<Record<string, string>>): void {
  const stale = staleSources(plan.fingerprints, {spec: specFingerprint(specText), ...estateFingerprints})
  if (stale.length > 0) {
    throw new UserError(
      `saved plan ${path} is stale: ${stale.map((k) => (k === 'spec' ? 'the spec' : `the ${k} estate`)).join(' and ')} changed since it was made`,
      'make a new plan with `mcfed plan -o plan.json`, review it, and apply that',
    )
  }
}
