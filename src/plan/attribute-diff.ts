import type {KindSchema} from '../model/kind-schema.js'
import type {Attributes, Json} from '../graph/resource.js'
import {jsonEqual} from '../util/deep-equal.js'
import type {AttributeChange} from './types.js'

export interface AttributeDiff {
  readonly changes: AttributeChange[]
  /** Attributes that differ and cannot change in place. */
  readonly replacePaths: string[]
}

/**
 * Compares desired with observed attributes, skipping what the kind ignores (server defaults,
 * outputs) and what is unknown until apply. Sensitive values are compared but never copied out.
 */
export function diffAttributes(
  schema: KindSchema,
  before: Attributes,
  after: Attributes,
  afterUnknown: ReadonlySet<string>,
): AttributeDiff {
  const changes: AttributeChange[] = []
  const replacePaths: string[] = []
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])].sort()
  for (const key of keys) {
    if (schema.ignored.includes(key)) continue
    const forces = schema.forcesReplacement.includes(key)
    if (afterUnknown.has(key)) {
      // Only a value that will be recomputed counts as a change; an unknown on create is shown by the renderer.
      continue
    }
    if (jsonEqual(before[key], after[key])) continue
    if (forces) replacePaths.push(key)
    changes.push(change(schema, key, before[key], after[key], false, forces))
  }
  return {changes, replacePaths}
}

/** An attribute that will change to a value known only after apply. */
export function unknownChange(schema: KindSchema, key: string, before: Json | undefined): AttributeChange {
  return change(schema, key, before, undefined, true, schema.forcesReplacement.includes(key))
}

function change(
  schema: KindSchema,
  path: string,
  before: Json | undefined,
  after: Json | undefined,
  unknown: boolean,
  forces: boolean,
): AttributeChange {
  const sensitive = schema.sensitive.includes(path)
  return {
    path,
    ...(!sensitive && before !== undefined && before !== null ? {before} : {}),
    ...(!sensitive && !unknown && after !== undefined && after !== null ? {after} : {}),
    ...(unknown ? {after_unknown: true as const} : {}),
    ...(sensitive ? {sensitive: true as const} : {}),
    ...(forces ? {forces_replacement: true as const} : {}),
    ...(!sensitive && !unknown ? elementChanges(before, after) : {}),
  }
}

/**
 * A list of plain values (source ranges, node locations) changes element by element: at hundreds
 * of clusters a rule's list holds hundreds of ranges, and the one that changed is what matters.
 */
export function elementChanges(before: Json | undefined, after: Json | undefined): {added?: Json[]; removed?: Json[]} {
  if (!isPlainList(before) || !isPlainList(after)) return {}
  const had = new Set(before.map((v) => JSON.stringify(v)))
  const has = new Set(after.map((v) => JSON.stringify(v)))
  const added = after.filter((v) => !had.has(JSON.stringify(v)))
  const removed = before.filter((v) => !has.has(JSON.stringify(v)))
  // Same elements in another order: the list itself is the change.
  if (added.length === 0 && removed.length === 0) return {}
  return {added, removed}
}

function isPlainList(v: Json | undefined): v is Json[] {
  return Array.isArray(v) && v.every((e) => e === null || typeof e !== 'object')
}
