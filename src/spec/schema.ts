import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import type {Ajv as AjvClass, ErrorObject, ValidateFunction} from 'ajv'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {packageRoot} from '../util/package-root.js'
import {closest} from '../util/suggest.js'
import {FEDERATION_SCHEMA_OPTIONS} from './schema-options.js'
import {parsePointer, type SourceMap} from './source-map.js'

export const FEDERATION_SCHEMA_PATH = join(packageRoot(), 'schemas', 'federation.schema.json')

let cached: {schema: object; validate: ValidateFunction} | undefined

export function federationSchema(): object {
  return compiled().schema
}

const require = createRequire(import.meta.url)

function compiled(): {schema: object; validate: ValidateFunction} {
  if (!cached) {
    const schema = JSON.parse(readFileSync(FEDERATION_SCHEMA_PATH, 'utf8')) as object
    cached = {schema, validate: prebuilt() ?? compile(schema)}
  }
  return cached
}

/** The validator the build compiled from the same schema (scripts/compile-schemas.mjs). */
function prebuilt(): ValidateFunction | undefined {
  try {
    return require('./federation-validator.cjs') as ValidateFunction
  } catch {
    // Running from source (tests): compile instead.
    return undefined
  }
}

function compile(schema: object): ValidateFunction {
  const {Ajv} = require('ajv') as {Ajv: typeof AjvClass}
  return new Ajv(FEDERATION_SCHEMA_OPTIONS).compile(schema)
}

/**
 * Validates plain spec data against the JSON Schema, filling defaults in place, and turns ajv's
 * errors into positioned diagnostics with hints a person can act on.
 */
export function validateSchema(data: unknown, map: SourceMap): Diagnostic[] {
  const {validate} = compiled()
  if (validate(data)) return []
  return toDiagnostics(validate.errors ?? [], map)
}

function toDiagnostics(errors: readonly ErrorObject[], map: SourceMap): Diagnostic[] {
  // An anyOf failure already says what was expected; its branches' errors are noise.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath)
  const relevant = errors.filter(
    (e) => e.keyword === 'anyOf' || !anyOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/')),
  )
  const seen = new Set<string>()
  const out: Diagnostic[] = []
  for (const e of relevant) {
    if (e.keyword === 'propertyNames' || e.keyword === 'if' || e.keyword === '$ref') continue
    const d = toDiagnostic(e, map)
    const key = `${d.rule}|${d.locations[0]?.path}|${d.message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(d)
    }
  }
  return out
}

function toDiagnostic(e: ErrorObject, map: SourceMap): Diagnostic {
  const path = parsePointer(e.instancePath)
  const parent = (e.parentSchema ?? {}) as {description?: string; properties?: Record<string, unknown>}
  const at = (p: readonly (string | number)[], which: 'key' | 'value' = 'value') => [map.locate(p, which)]
  const field = path.length ? path.join('.') : 'document'
  // A property name that fails its pattern is reported by ajv at the map, with the name in params.
  const propertyName = (e as {propertyName?: string}).propertyName
  if (propertyName !== undefined) {
    return {
      severity: 'error',
      rule: 'schema/format',
      message: `name \`${propertyName}\` under ${field} is invalid: ${e.message}`,
      locations: at([...path, propertyName], 'key'),
      hint: parent.description ? `expected ${parent.description}` : undefined,
    }
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = (e.params as {additionalProperty: string}).additionalProperty
      const allowed = Object.keys(parent.properties ?? {})
      const guess = closest(name, allowed)
      return {
        severity: 'error',
        rule: 'schema/unknown-field',
        message: `unknown field \`${name}\` in ${field}`,
        locations: at([...path, name], 'key'),
        hint: guess ? `did you mean \`${guess}\`?` : `allowed fields: ${allowed.join(', ')}`,
      }
    }
    case 'required': {
      const missing = (e.params as {missingProperty: string}).missingProperty
      return {
        severity: 'error',
        rule: 'schema/required',
        message: `missing required field \`${missing}\` in ${field}`,
        locations: at(path, 'key'),
        hint: describe(parent.properties?.[missing]),
      }
    }
    case 'type':
      return {
        severity: 'error',
        rule: 'schema/type',
        message: `${field} must be ${article((e.params as {type: string}).type)}, found ${kindOf(e.data)}`,
        locations: at(path),
        hint: parent.description,
      }
    case 'enum':
    case 'const': {
      const allowed = e.keyword === 'enum' ? (e.params as {allowedValues: unknown[]}).allowedValues : [(e.params as {allowedValue: unknown}).allowedValue]
      const guess = typeof e.data === 'string' ? closest(e.data, allowed.map(String)) : undefined
      return {
        severity: 'error',
        rule: 'schema/enum',
        message: `${field} is ${JSON.stringify(e.data)}; allowed: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
        locations: at(path),
        hint: guess ? `did you mean ${JSON.stringify(guess)}?` : parent.description,
      }
    }
    case 'anyOf':
      return {
        severity: 'error',
        rule: 'schema/type',
        message: `${field} must be ${parent.description ?? 'one of the allowed forms'}, found ${kindOf(e.data)}`,
        locations: at(path),
        hint: parent.description ? `write ${parent.description}` : undefined,
      }
    case 'pattern':
    case 'format':
    case 'minLength':
    case 'maxLength':
      return {
        severity: 'error',
        rule: 'schema/format',
        message: `${field} ${JSON.stringify(e.data)} is not valid: ${e.message}`,
        locations: at(path),
        hint: parent.description ? `expected ${parent.description}` : undefined,
      }
    default:
      return {
        severity: 'error',
        rule: 'schema/range',
        message: `${field} ${e.message}`,
        locations: at(path),
        hint: parent.description,
      }
  }
}

function describe(schema: unknown): string | undefined {
  const d = (schema as {description?: string} | undefined)?.description
  return d ? `add it: ${d}` : undefined
}

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return `${typeof v} ${JSON.stringify(v)}`
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}
