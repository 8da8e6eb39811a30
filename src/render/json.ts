import type {Plan} from '../plan/types.js'

/** The plan as stable JSON: the format `-o plan.json` saves and `show` reads back. */
export function renderJson(plan: Plan): string {
  return [...renderJsonChunks(plan)].join('')
}

/**
 * The same text as `JSON.stringify(plan, null, 2)`, one resource change at a time: a fleet's plan
 * is tens of megabytes of JSON, which need never be one string.
 */
export function* renderJsonChunks(plan: Plan): Generator<string> {
  yield* prettyChunks(plan, '', 2)
  yield '\n'
}

/** Pretty-printed JSON of `value` at `indent`, streamed `depth` levels deep; deeper values are stringified whole. */
function* prettyChunks(value: unknown, indent: string, depth: number): Generator<string> {
  const isArray = Array.isArray(value)
  if (depth === 0 || value === null || typeof value !== 'object' || typeof (value as {toJSON?: unknown}).toJSON === 'function') {
    yield (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${indent}`)
    return
  }
  const inner = `${indent}  `
  const entries = isArray
    ? (value as unknown[]).map((v) => [undefined, v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v] as const)
    : Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
  if (entries.length === 0) {
    yield isArray ? '[]' : '{}'
    return
  }
  yield isArray ? '[\n' : '{\n'
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!
    yield key === undefined ? inner : `${inner}${JSON.stringify(key)}: `
    yield* prettyChunks(v, inner, depth - 1)
    yield i < entries.length - 1 ? ',\n' : '\n'
  }
  yield `${indent}${isArray ? ']' : '}'}`
}
