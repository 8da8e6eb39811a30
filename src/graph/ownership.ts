/**
 * Ownership markers. Networks, subnets and firewalls carry them in `description`; clusters in
 * resource labels. mcfed deletes only what carries the marker of its own federation.
 */
export interface Marker {
  readonly federation: string
  readonly cluster: string
  /** A per-peer firewall rule (before one rule per network): its peer. */
  readonly peer?: string
  /** A network's peer firewall rule: `peers`, `peers-2` … */
  readonly rule?: string
}

const PREFIX = 'managed by mcfed;'

export function formatMarker(m: Marker): string {
  return `${PREFIX} federation=${m.federation}; cluster=${m.cluster}${m.peer ? `; peer=${m.peer}` : ''}${m.rule ? `; rule=${m.rule}` : ''}`
}

/**
 * A compute list filter selecting the objects that carry this federation's marker (the `eq` form:
 * an RE2 expression matching the whole field), so a project's foreign objects are not paged
 * through. Reads still check each marker themselves.
 */
export function markerFilter(federation: string): string {
  return `description eq "${escapeRe2(`${PREFIX} federation=${federation};`)}.*"`
}

function escapeRe2(literal: string): string {
  return literal.replace(/[\\.+*?()|[\]{}^$"]/g, (c) => `\\${c}`)
}

export function parseMarker(description: string | null | undefined): Marker | undefined {
  if (!description?.startsWith(PREFIX)) return undefined
  const fields = Object.fromEntries(
    description
      .slice(PREFIX.length)
      .split(';')
      .map((kv) => kv.trim().split('=') as [string, string])
      .filter(([k, v]) => k && v),
  )
  if (!fields.federation || !fields.cluster) return undefined
  return {federation: fields.federation, cluster: fields.cluster, ...(fields.peer ? {peer: fields.peer} : {}), ...(fields.rule ? {rule: fields.rule} : {})}
}

export const LABEL_MANAGED_BY = 'managed-by'
export const LABEL_FEDERATION = 'mcfed-federation'

/** The last path segment of a URL or resource path: called per peering half, so no array is built. */
export function lastSegment(ref: string | null | undefined): string {
  const text = ref ?? ''
  return text.slice(text.lastIndexOf('/') + 1)
}
