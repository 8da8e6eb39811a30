import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv, type ValidateFunction} from 'ajv'

import {packageRoot} from '../util/package-root.js'

export const PLAN_SCHEMA_PATH = join(packageRoot(), 'schemas', 'plan.schema.json')

let validate: ValidateFunction | undefined

/** Problems with a plan document, as `path: message` lines; empty when it matches plan.schema.json. */
export function validatePlanJson(data: unknown): string[] {
  validate ??= new Ajv({allErrors: true, strict: true}).compile(JSON.parse(readFileSync(PLAN_SCHEMA_PATH, 'utf8')) as object)
  if (validate(data)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`)
}
