import type {Attributes, Json} from '../graph/resource.js'
import {SENSITIVE} from './types.js'

/** A copy of attributes with every sensitive value replaced, so no secret reaches a plan. */
export function maskSensitive(attributes: Attributes, sensitive: readonly string[]): {[key: string]: Json} {
  const out: {[key: string]: Json} = {}
  for (const [k, v] of Object.entries(attributes)) out[k] = sensitive.includes(k) && v !== null ? SENSITIVE : v
  return out
}
