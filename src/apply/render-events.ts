import type {Style} from '../render/style.js'
import type {ApplyEvent, ApplySummary} from './events.js'

const VERB: Record<string, [string, string]> = {
  create: ['Creating...', 'Creation complete'],
  update: ['Modifying...', 'Modifications complete'],
  delete: ['Destroying...', 'Destruction complete'],
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`

/** Terraform's apply lines: readable live on a terminal and in a CI log alike. */
export function eventLine(e: ApplyEvent, s: Style): string | undefined {
  switch (e.type) {
    case 'step_start':
      return `${s.bold(`${e.address}:`)} ${VERB[e.mutation]![0]}`
    case 'step_progress':
      return `${s.bold(`${e.address}:`)} Still ${e.mutation === 'delete' ? 'destroying' : e.mutation === 'update' ? 'modifying' : 'creating'}... [${seconds(e.elapsed_ms)} elapsed]`
    case 'step_retry':
      return s.dim(`${e.address}: retrying in ${seconds(e.delay_ms)} (attempt ${e.attempt}: ${e.reason})`)
    case 'step_done':
      return `${s.bold(`${e.address}:`)} ${VERB[e.mutation]![1]} after ${seconds(e.elapsed_ms)}`
    case 'step_failed':
      return `${s.error(`${e.address}: failed after ${seconds(e.elapsed_ms)}`)}: ${e.error.message}${e.error.hint ? `\n  hint: ${e.error.hint}` : ''}`
    case 'step_skipped':
      return s.dim(`${e.address}: skipped (${e.because})`)
    default:
      return undefined
  }
}

export function summaryText(summary: ApplySummary, s: Style): string {
  const lines: string[] = ['']
  if (summary.failed.length === 0 && summary.interrupted.length === 0) {
    lines.push(s.create(s.bold(`Apply complete! ${summary.done.length} step${summary.done.length === 1 ? '' : 's'} done.`)))
    return lines.join('\n') + '\n'
  }
  lines.push(s.error(`Apply incomplete: ${summary.done.length} done, ${summary.failed.length} failed, ${summary.skipped.length} skipped, ${summary.interrupted.length} not started.`))
  for (const f of summary.failed) lines.push(`  ${s.error('✗')} ${f.step}: ${f.error.message}${f.error.hint ? `\n      hint: ${f.error.hint}` : ''}`)
  if (summary.skipped.length) lines.push(`  skipped (a dependency failed): ${summary.skipped.join(', ')}`)
  if (summary.interrupted.length) lines.push(`  not started (interrupted): ${summary.interrupted.join(', ')}`)
  lines.push('', 'Nothing was rolled back. Fix the cause and run `mcfed apply` again: it plans from the live state and converges.')
  return lines.join('\n') + '\n'
}
