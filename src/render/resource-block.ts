import type {Json} from '../graph/resource.js'
import type {ResourceChange} from '../plan/types.js'
import {colorFor, headline, symbol} from './actions.js'
import type {Style} from './style.js'
import {OBJECT_ATTRIBUTES, objectLines} from './object-lines.js'
import {KNOWN_AFTER_APPLY, SENSITIVE_VALUE, formatValue} from './values.js'

/**
 * One resource in Terraform's plan layout: a `#` headline, the action symbol and address, then
 * attributes (all of them on create and destroy, only the changed ones on update and replace).
 */
export function resourceBlock(c: ResourceChange, s: Style): string[] {
  const paint = colorFor(c.action, s)
  const sym = symbol(c)
  const lines = [`  ${s.bold(`# ${headline(c)}`)}`]
  if (c.guarded) lines.push(`  ${s.destroy('# destroys live infrastructure: apply needs --allow-destroy')}`)
  lines.push(`${paint(sym.padStart(3))} ${c.address} {`)
  if (c.action === 'create') createRows(c, s, lines)
  else changeRows(c, s, lines)
  lines.push(...objectLines(c, s))
  const hidden = hiddenCount(c)
  if (hidden > 0) lines.push(`        ${s.dim(`# (${hidden} unchanged attribute${hidden === 1 ? '' : 's'} hidden)`)}`)
  lines.push('    }')
  return lines
}

/**
 * A create's attributes, every one but those that will be null (as Terraform leaves them out),
 * straight into lines: a 300-cluster plan has 600,000 of them.
 */
function createRows(c: ResourceChange, s: Style, lines: string[]): void {
  const after = c.after ?? {}
  const keys = sortedKeys(c.kind, after)
  const listed = (key: string) => !OBJECT_ATTRIBUTES.has(key) && (after[key] !== null || c.after_unknown.includes(key))
  let width = 0
  for (const key of keys) if (key.length > width && listed(key)) width = key.length
  const plus = s.create('+')
  for (const key of keys) {
    if (!listed(key)) continue
    const value = c.after_unknown.length > 0 && c.after_unknown.includes(key) ? KNOWN_AFTER_APPLY : shown(after[key], c.sensitive.length > 0 && c.sensitive.includes(key))
    lines.push(`      ${plus} ${key.padEnd(width)} = ${value}`)
  }
}

function changeRows(c: ResourceChange, s: Style, lines: string[]): void {
  const rows = attributeRows(c)
  let width = 0
  for (const r of rows) if (r.key.length > width) width = r.key.length
  for (const r of rows) {
    const mark = r.mark === '~' ? s.update('~') : r.mark === '+' ? s.create('+') : s.destroy('-')
    const suffix = r.forces ? ` ${s.destroy('# forces replacement')}` : ''
    if (!r.elements) {
      lines.push(`      ${mark} ${r.key.padEnd(width)} = ${r.value}${suffix}`)
      continue
    }
    lines.push(`      ${mark} ${r.key.padEnd(width)} = [${suffix}`)
    for (const e of r.elements.removed) lines.push(`          ${s.destroy('-')} ${formatValue(e)},`)
    for (const e of r.elements.added) lines.push(`          ${s.create('+')} ${formatValue(e)},`)
    if (r.elements.unchanged > 0) lines.push(`            ${s.dim(`# (${r.elements.unchanged} unchanged element${r.elements.unchanged === 1 ? '' : 's'} hidden)`)}`)
    lines.push('        ]')
  }
}

interface Row {
  readonly mark: '+' | '-' | '~'
  readonly key: string
  readonly value: string
  readonly forces?: boolean
  /** A list that changed element by element: shown as its additions and removals. */
  readonly elements?: {readonly added: readonly Json[]; readonly removed: readonly Json[]; readonly unchanged: number}
}

/** The rows of an update, replace or delete: the changed attributes, or on delete all of them. */
function attributeRows(c: ResourceChange): Row[] {
  if (c.action === 'delete') {
    const before = c.before ?? {}
    return Object.keys(before)
      .sort()
      .filter((key) => !OBJECT_ATTRIBUTES.has(key) && before[key] !== null)
      .map((key) => ({mark: '-', key, value: `${shown(before[key], c.sensitive.includes(key))} -> null`}))
  }
  return c.changes.filter((ch) => !OBJECT_ATTRIBUTES.has(ch.path)).map((ch) => {
    const before = ch.sensitive ? SENSITIVE_VALUE : formatValue(ch.before)
    const after = ch.after_unknown ? KNOWN_AFTER_APPLY : ch.sensitive ? SENSITIVE_VALUE : formatValue(ch.after)
    if (ch.before === undefined && !ch.sensitive) return {mark: '+', key: ch.path, value: after, forces: ch.forces_replacement}
    if (ch.after === undefined && !ch.after_unknown && !ch.sensitive) return {mark: '-', key: ch.path, value: `${before} -> null`, forces: ch.forces_replacement}
    if (ch.added && ch.removed && Array.isArray(ch.after)) {
      const elements = {added: ch.added, removed: ch.removed, unchanged: ch.after.length - ch.added.length}
      return {mark: '~', key: ch.path, value: '', forces: ch.forces_replacement, elements}
    }
    return {mark: '~', key: ch.path, value: `${before} -> ${after}`, forces: ch.forces_replacement}
  })
}

/** A kind's attribute names, sorted; resources of a kind almost always have the same names in the same order. */
const lastKeys = new Map<string, {readonly keys: readonly string[]; readonly sorted: readonly string[]}>()
function sortedKeys(kind: string, attributes: object): readonly string[] {
  const keys = Object.keys(attributes)
  const last = lastKeys.get(kind)
  if (last && last.keys.length === keys.length && last.keys.every((k, i) => k === keys[i])) return last.sorted
  const sorted = [...keys].sort()
  lastKeys.set(kind, {keys, sorted})
  return sorted
}

function shown(v: Json | undefined, sensitive: boolean): string {
  return sensitive && v !== null && v !== undefined ? SENSITIVE_VALUE : formatValue(v)
}

function hiddenCount(c: ResourceChange): number {
  if (c.action !== 'update' && c.action !== 'replace') return 0
  const keys = new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})].filter((k) => !OBJECT_ATTRIBUTES.has(k)))
  return Math.max(0, keys.size - c.changes.filter((ch) => !OBJECT_ATTRIBUTES.has(ch.path)).length)
}
