import type {Attributes, Json} from '../graph/resource.js'
import {SENSITIVE} from './types.js'

/** A copy of attributes with every sensitive value replaced, so no secret reaches a plan. */
export function maskSensitive(attributes: Attributes, sensitive: readonly string[]): {[key: string]: Json} {
  // Spread, then overwrite: most kinds have nothing sensitive, and a plan copies every resource twice.
  const out: {[key: string]: Json} = {...attributes}
  for (const k of sensitive) if (out[k] !== undefined && out[k] !== null) out[k] = SENSITIVE
  return out
}
