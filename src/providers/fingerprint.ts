import {createHash} from 'node:crypto'

import type {Json, ObservedResource} from '../graph/resource.js'
import {stableStringify} from '../util/stable-json.js'

/**
 * Digest of what a read saw, for refusing a saved plan once the estate moved: each resource's
 * address, ownership and attributes with sorted keys, `churning` attributes left out (outputs that
 * change without anyone changing the resource). Hashed resource by resource: one string of all of
 * them took 0.1 s at 8,400 resources.
 */
export function fingerprintOf(resources: readonly ObservedResource[], churning: readonly string[] = []): string {
  const hash = createHash('sha256')
  for (const r of resources) {
    const kept: Record<string, Json> = {}
    for (const [k, v] of Object.entries(r.attributes as Record<string, Json>)) if (!churning.includes(k)) kept[k] = v
    hash.update(`${r.address}\u0000${r.owned}\u0000${stableStringify(kept)}\n`)
  }
  return `sha256:${hash.digest('hex')}`
}
