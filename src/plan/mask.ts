import type {Attributes, Json} from '../graph/resource.js'
import {SENSITIVE} from './types.js'

/** The attributes with every sensitive value replaced (in a copy), so no secret reaches a plan. */
export function maskSensitive(attributes: Attributes, sensitive: readonly string[]): Attributes {
  // Nothing to hide is the common case: the attributes are read-only, so they are shared, not copied.
  if (!sensitive.some((k) => attributes[k] !== undefined && attributes[k] !== null)) return attributes
  const out: {[key: string]: Json} = {...attributes}
  for (const k of sensitive) if (out[k] !== undefined && out[k] !== null) out[k] = SENSITIVE
  return out
}
