import {GoogleApiError} from './errors.js'

/**
 * Response field masks, the system parameter every Google API takes as the `X-Goog-FieldMask`
 * header or the `fields` / `$fields` query parameter: `a,b.c,d(e,f(g))`, paths by `.` or `/`, `*`
 * for every field (or every key of a map). The simulator does not know the messages' schemas, so
 * a name that is not in a response selects nothing instead of being refused as GCP would.
 */
export type FieldMask = Map<string, FieldMask | true>

export function parseFieldMask(text: string): FieldMask {
  let at = 0
  const fail = (): never => {
    throw new GoogleApiError(400, 'invalidParameter', `Invalid field selection ${text}`)
  }
  const name = (): string => {
    const m = /^(\*|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at))
    if (!m) return fail()
    at += m[0].length
    return m[0]
  }
  const selections = (into: FieldMask): FieldMask => {
    for (;;) {
      const path = [name()]
      while (text[at] === '.' || text[at] === '/') {
        at++
        path.push(name())
      }
      let sub: FieldMask | true = true
      if (text[at] === '(') {
        at++
        sub = selections(new Map())
        if (text[at++] !== ')') fail()
      }
      merge(into, path, sub)
      if (text[at] !== ',') return into
      at++
    }
  }
  const mask = selections(new Map())
  if (at !== text.length) fail()
  return mask
}

function merge(into: FieldMask, [head, ...rest]: readonly string[], sub: FieldMask | true): void {
  const had = into.get(head!)
  if (had === true) return
  if (rest.length === 0 && sub === true) {
    into.set(head!, true)
    return
  }
  const node: FieldMask = had ?? new Map()
  into.set(head!, node)
  if (rest.length > 0) merge(node, rest, sub)
  else for (const [field, more] of sub as FieldMask) merge(node, [field], more)
}

/** `value` with only the masked fields; lists are masked element by element. */
export function applyFieldMask(value: unknown, mask: FieldMask | true): unknown {
  if (mask === true || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => applyFieldMask(v, mask))
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [field, sub] of mask) {
    if (field === '*') {
      for (const [k, v] of Object.entries(source)) out[k] = applyFieldMask(v, sub)
    } else if (field in source) {
      out[field] = applyFieldMask(source[field], sub)
    }
  }
  return out
}

/** The request's mask, if it asked for one. */
export function requestedFieldMask(headers: Record<string, string | string[] | undefined>, query: URLSearchParams): FieldMask | undefined {
  const header = headers['x-goog-fieldmask']
  const text = (Array.isArray(header) ? header[0] : header) ?? query.get('fields') ?? query.get('$fields')
  return text && text !== '*' ? parseFieldMask(text) : undefined
}
