import type {PhaseView} from '../drill/judge.js'
import type {DrillReport} from '../drill/report.js'
import {style} from './style.js'
import {percent} from './verify.js'

export const DRILL_FORMATS = ['text', 'json', 'markdown'] as const
export type DrillFormat = (typeof DRILL_FORMATS)[number]

export function renderDrill(r: DrillReport, format: DrillFormat, color: boolean): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n'
  return format === 'markdown' ? drillMarkdown(r) : drillText(r, color)
}

type Phase = 'before' | 'during' | 'after'
const PHASES: readonly Phase[] = ['before', 'during', 'after']

/** `west 3 (33%), east 3 (33%), north 3 (33%)`; clusters in the order the cell lists them. */
function sharesLine(endpoints: Readonly<Record<string, number>>, shares: Readonly<Record<string, number>>): string {
  const total = Object.values(endpoints).reduce((a, b) => a + b, 0)
  return `${Object.entries(endpoints).map(([c, n]) => `${c} ${n} (${percent(shares[c] ?? 0)})`).join(', ')} = ${total}`
}

/**
 * Each federated service's shares per phase, with the consumers that saw the same numbers in
 * every phase folded into one row (normally all of them).
 */
function federatedRows(r: DrillReport): {service: string; consumers: string[]; phases: Partial<Record<Phase, string>>}[] {
  const rows: {service: string; consumers: string[]; phases: Partial<Record<Phase, string>>}[] = []
  for (const f of r.phases.before.federated) {
    const phases: Partial<Record<Phase, string>> = {}
    for (const p of PHASES) {
      const view: PhaseView | undefined = r.phases[p]
      const seen = view?.federated.find((x) => x.service === f.service && x.consumer === f.consumer)
      if (seen) phases[p] = sharesLine(seen.endpoints, seen.shares)
    }
    const same = rows.find((x) => x.service === f.service && JSON.stringify(x.phases) === JSON.stringify(phases))
    if (same) same.consumers.push(f.consumer)
    else rows.push({service: f.service, consumers: [f.consumer], phases})
  }
  return rows
}

const seconds = (s: number | undefined) => (s === undefined ? '-' : `${s.toFixed(1)}s`)

export function drillText(r: DrillReport, color: boolean): string {
  const s = style(color)
  const out = [s.bold(`Drill: loss of ${r.cluster} (${r.federation})${r.dry_run ? ', dry run: nothing changed' : ''}`), '']
  out.push(`${r.dry_run ? 'Would scale' : 'Scaled'} to 0 in ${r.cluster}, recorded in ${r.record}:`)
  for (const d of r.deployments) out.push(`  ${d.namespace}/${d.name}  ${d.replicas} → 0${r.phases.after ? ` → ${d.replicas}` : ''}`)
  for (const row of federatedRows(r)) {
    out.push('', `${row.service} (federated), ready endpoints and shares seen from ${row.consumers.join(', ')}:`)
    for (const p of PHASES) if (row.phases[p]) out.push(`  ${p.padEnd(6)}  ${row.phases[p]}`)
  }
  if (r.expected_failures.length > 0) {
    out.push('', `${r.dry_run ? 'Would fail' : 'Failed'} as expected while ${r.cluster} was lost:`)
    for (const f of r.expected_failures) out.push(`  ${f.cluster} ${f.name}: ${f.reason}`)
  }
  if (r.loss_seconds !== undefined || r.recovery_seconds !== undefined) {
    out.push('', `Loss absorbed in ${seconds(r.loss_seconds)}; restored to the recorded replicas and as before in ${seconds(r.recovery_seconds)}.`)
  }
  if (r.interrupted) out.push('', s.warning(`Interrupted by ${r.interrupted}: the recorded replicas were restored.`))
  if (r.problems.length > 0) {
    out.push('', s.error('The mesh did not behave as the spec implies:'))
    for (const p of r.problems) out.push(`  ${p}`)
  }
  out.push('', r.ok ? s.create(s.bold(r.dry_run ? 'The drill can run: the mesh is as the spec implies.' : 'The mesh behaved as the spec implies.')) : s.error(s.bold('The drill failed.')))
  return out.join('\n') + '\n'
}

export function drillMarkdown(r: DrillReport): string {
  const lines = [`<!-- mcfed-drill federation=${r.federation} cluster=${r.cluster} -->`, `### mcfed drill: loss of \`${r.cluster}\`${r.dry_run ? ' (dry run)' : ''}`, '']
  lines.push(r.ok ? '**✅ The mesh behaved as the spec implies.**' : '**❌ The drill failed.**', '')
  lines.push(`Scaled to 0 in \`${r.cluster}\`: ${r.deployments.map((d) => `\`${d.namespace}/${d.name}\` (${d.replicas})`).join(', ')}. Loss absorbed in ${seconds(r.loss_seconds)}, recovered in ${seconds(r.recovery_seconds)}.`, '')
  const rows = federatedRows(r)
  if (rows.length > 0) {
    lines.push('| federated service | seen from | before | during | after |', '|---|---|---|---|---|')
    for (const row of rows) lines.push(`| \`${row.service}\` | ${row.consumers.join(', ')} | ${row.phases.before ?? ''} | ${row.phases.during ?? ''} | ${row.phases.after ?? ''} |`)
    lines.push('')
  }
  if (r.expected_failures.length > 0) lines.push('**Failed as expected:** ' + r.expected_failures.map((f) => `\`${f.name}\` in ${f.cluster}`).join(', '), '')
  if (r.interrupted) lines.push(`**Interrupted** by ${r.interrupted}; the recorded replicas were restored.`, '')
  if (r.problems.length > 0) lines.push('**Problems:**', '', ...r.problems.map((p) => `- ${p.replace(/\|/g, '\\|')}`), '')
  return lines.join('\n')
}
