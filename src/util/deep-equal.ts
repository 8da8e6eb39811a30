import type {Json} from '../graph/resource.js'

/**
 * Structural equality for attribute values. `null` and absent are the same, as GCP clients return
 * '' / null / [] / undefined interchangeably for "unset"; providers normalize the rest.
 */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true
  if (a === undefined || a === null) return b === undefined || b === null
  if (b === undefined || b === null) return false
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  }
  if (typeof a === 'object') {
    if (typeof b !== 'object' || Array.isArray(b)) return false
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) if (!jsonEqual(a[k], b[k])) return false
    return true
  }
  return false
}
