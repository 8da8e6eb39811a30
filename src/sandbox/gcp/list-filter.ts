import {invalid} from './errors.js'

/**
 * Compute's regular-expression list filter: `field eq literal`, `field ne literal`, or several
 * parenthesized ones (all must hold). A literal is bare, 'single' or "double" quoted, and is an
 * RE2 expression that must match the whole field. Only top-level string fields are compared here;
 * the AIP-160 form (`=`, `!=`, `AND`, `:`) is refused as unsupported rather than guessed at.
 */
export function listFilter(filter: string | null | undefined): (item: object) => boolean {
  if (!filter?.trim()) return () => true
  const text = filter.trim()
  if (text.startsWith('(') && !/^(\([^()]*\)\s*)+$/.test(text)) throw badFilter(filter)
  const parts = text.startsWith('(') ? [...text.matchAll(/\(([^()]*)\)/g)].map((m) => m[1]!) : [text]
  const terms = parts.map((part) => {
    const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\s+(eq|ne)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+))\s*$/.exec(part)
    if (!m) throw badFilter(filter)
    let pattern: RegExp
    try {
      pattern = new RegExp(`^(?:${m[3] ?? m[4] ?? m[5]})$`)
    } catch {
      throw badFilter(filter)
    }
    return {field: m[1]!, negate: m[2] === 'ne', pattern}
  })
  return (item) => terms.every((t) => holds(t, (item as Record<string, unknown>)[t.field]))
}

function holds(t: {negate: boolean; pattern: RegExp}, value: unknown): boolean {
  const matches = t.pattern.test(typeof value === 'string' ? value : value === undefined ? '' : String(value))
  return t.negate ? !matches : matches
}

function badFilter(filter: string) {
  return invalid(`Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`)
}
