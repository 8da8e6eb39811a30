import type {Json} from '../graph/resource.js'
import {SENSITIVE} from '../plan/types.js'

export const KNOWN_AFTER_APPLY = '(known after apply)'
export const SENSITIVE_VALUE = '(sensitive value)'

/** One attribute value in HCL-like notation, on one line. */
export function formatValue(v: Json | undefined): string {
  if (v === undefined || v === null) return 'null'
  if (v === SENSITIVE) return SENSITIVE_VALUE
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (!Object.isFrozen(v)) return formatComposite(v)
  let text = formatted.get(v)
  if (text === undefined) formatted.set(v, (text = formatComposite(v)))
  return text
}

// A frozen list or map shared by many resources (every remote access's rules) is formatted once.
const formatted = new WeakMap<object, string>()

function formatComposite(v: readonly Json[] | {readonly [key: string]: Json}): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map(formatValue).join(', ')}]`
  const entries = Object.entries(v)
  if (entries.length === 0) return '{}'
  return `{ ${entries.map(([k, x]) => `${quoteKey(k)} = ${formatValue(x)}`).join(', ')} }`
}

function quoteKey(k: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(k) ? k : JSON.stringify(k)
}
