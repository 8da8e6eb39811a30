import {codeFrameColumns} from '@babel/code-frame'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import type {Style} from './style.js'

/** Source texts by file name, for excerpts. Diagnostics render without them, just less helpfully. */
export type Sources = ReadonlyMap<string, string>

/**
 * Compiler-style diagnostics: `error[rule]: message`, then for every location involved
 * `--> file:line:col`, the spec line and a caret, then the hint.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], s: Style, sources: Sources = new Map()): string {
  return diagnostics.map((d) => renderDiagnostic(d, s, sources)).join('\n')
}

export function renderDiagnostic(d: Diagnostic, s: Style, sources: Sources): string {
  const head = d.severity === 'error' ? s.error(`error[${d.rule}]`) : s.warning(`warning[${d.rule}]`)
  const lines = [`${head}: ${s.bold(d.message)}`]
  for (const loc of d.locations) {
    lines.push(`  ${s.dim('-->')} ${loc.file}:${loc.line}:${loc.col}`)
    const source = sources.get(loc.file)
    if (source !== undefined && loc.line >= 1) {
      const mark = d.severity === 'error' ? s.error : s.warning
      const frame = codeFrameColumns(source, {start: {line: loc.line, column: loc.col}}, {linesAbove: 0, linesBelow: 0, highlightCode: false})
      lines.push(...frame.split('\n').map((l) => `   ${l.replace(/\^+$/, (caret) => mark(caret))}`))
    }
  }
  if (d.addresses?.length) lines.push(`   ${s.dim('=')} resources: ${d.addresses.join(', ')}`)
  if (d.hint) lines.push(`   ${s.dim('=')} hint: ${d.hint}`)
  return lines.join('\n') + '\n'
}

export function diagnosticCounts(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  const warnings = diagnostics.length - errors
  const part = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`
  return `${part(errors, 'error')}, ${part(warnings, 'warning')}`
}
