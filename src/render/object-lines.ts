import {diffLines} from 'diff'

import type {AttributeChange, ResourceChange} from '../plan/types.js'
import type {Style} from './style.js'
import {KNOWN_AFTER_APPLY, SENSITIVE_VALUE, formatValue} from './values.js'

/** Attributes of a rendered component that the object lines below stand for. */
export const OBJECT_ATTRIBUTES: ReadonlySet<string> = new Set(['objects', 'api_versions'])

/**
 * A component's objects beneath its block, as `kubectl diff` users read them: `+` created, `-`
 * pruned, `~` changed with the fields that change; a multi-line value as a line diff.
 */
export function objectLines(c: ResourceChange, s: Style): string[] {
  const keys = (attrs: ResourceChange['before']) => Object.keys((attrs?.objects as Record<string, unknown> | null | undefined) ?? {})
  if (c.action === 'create') return keys(c.after).map((k) => `      ${s.create('+')} ${k}`)
  if (c.action === 'delete') return keys(c.before).map((k) => `      ${s.destroy('-')} ${k}`)
  const out: string[] = []
  for (const o of c.object_changes ?? []) {
    if (o.action === 'create') out.push(`      ${s.create('+')} ${o.object}`)
    else if (o.action === 'delete') out.push(`      ${s.destroy('-')} ${o.object}`)
    else {
      out.push(`      ${s.update('~')} ${o.object}`)
      for (const f of o.changes ?? []) out.push(...fieldLines(f, s))
    }
  }
  return out
}

function fieldLines(f: AttributeChange, s: Style): string[] {
  const pad = '          '
  if (f.sensitive) return [`${pad}${s.update('~')} ${f.path} = ${SENSITIVE_VALUE}`]
  if (f.after_unknown) return [`${pad}${s.update('~')} ${f.path} = ${formatValue(f.before)} -> ${KNOWN_AFTER_APPLY}`]
  if (typeof f.before === 'string' && typeof f.after === 'string' && (f.before.includes('\n') || f.after.includes('\n'))) {
    const lines = [`${pad}${s.update('~')} ${f.path} = <<-EOT`]
    for (const part of diffLines(f.before, f.after)) {
      const mark = part.added ? s.create('+') : part.removed ? s.destroy('-') : ' '
      for (const line of part.value.replace(/\n$/, '').split('\n')) if (part.added || part.removed) lines.push(`${pad}    ${mark} ${line}`)
    }
    lines.push(`${pad}  EOT`)
    return lines
  }
  if (f.before === undefined) return [`${pad}${s.create('+')} ${f.path} = ${formatValue(f.after)}`]
  if (f.after === undefined) return [`${pad}${s.destroy('-')} ${f.path} = ${formatValue(f.before)} -> null`]
  return [`${pad}${s.update('~')} ${f.path} = ${formatValue(f.before)} -> ${formatValue(f.after)}`]
}
