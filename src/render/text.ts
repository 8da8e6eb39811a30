import {accessChanges} from '../plan/access-changes.js'
import {hasChanges, type Plan} from '../plan/types.js'
import {LEGEND, symbol} from './actions.js'
import {renderDiagnostics, type Sources} from './diagnostics.js'
import {resourceBlock} from './resource-block.js'
import {style} from './style.js'

export interface TextOptions {
  readonly color: boolean
  readonly sources?: Sources
}

/** The human plan, in Terraform's idiom, built only from plan data. */
export function renderText(plan: Plan, options: TextOptions): string {
  return [...renderTextChunks(plan, options)].join('')
}

/**
 * The same text in pieces, one resource block at a time: a plan of 300 clusters is 30 MB of text,
 * which need never be one string in memory.
 */
export function* renderTextChunks(plan: Plan, options: TextOptions): Generator<string> {
  const s = style(options.color)
  const out: string[] = []
  if (plan.diagnostics.length > 0) out.push(renderDiagnostics(plan.diagnostics, s, options.sources))
  if (plan.mode === 'offline') {
    out.push(s.dim(`Offline plan for federation ${plan.federation} (project ${plan.project}): nothing was read, so every resource is new.\n`))
  }
  const shown = plan.resource_changes.filter((c) => c.action !== 'no-op')
  const credentials = credentialsLine(plan)
  if (shown.length === 0) {
    if (credentials) out.push(s.dim(credentials))
    const findings = plan.diagnostics.filter((d) => d.drift).length
    if (plan.unreachable.length > 0) {
      out.push(s.warning(`No changes in what could be read; ${plan.unreachable.join(', ')} could not be read, so their state is unknown.`))
    } else if (!plan.applyable) {
      out.push(s.error('No plan: the errors above must be fixed first.'))
    } else if (hasChanges(plan)) {
      out.push(s.warning(`No resource changes, but the estate differs from the spec: ${findings} finding${findings === 1 ? '' : 's'} above that apply does not fix.`))
    } else {
      out.push(`${s.create(s.bold('No changes.'))} ${s.bold(`Federation ${plan.federation} matches the spec.`)}`)
    }
    yield out.join('\n') + '\n'
    return
  }
  const symbols = [...new Set(shown.map((c) => symbol(c)))]
  out.push('Resource actions are indicated with the following symbols:')
  for (const sym of Object.keys(LEGEND).filter((k) => symbols.includes(k))) out.push(`${sym.padStart(3)} ${LEGEND[sym]}`)
  out.push('')
  out.push('mcfed will perform the following actions:')
  out.push('')
  yield out.join('\n') + '\n'
  out.length = 0
  for (const c of shown) {
    const lines = resourceBlock(c, s)
    // Two empty lines more end the block with a blank line, in the one join.
    lines.push('', '')
    yield lines.join('\n')
  }

  const access = accessChanges(plan)
  if (access.length > 0) {
    out.push('Access changes (who may call what):')
    for (const a of access) out.push(`  ${a.destructive ? s.error(a.line) : s.create(a.line)}`)
    out.push('')
  }
  if (credentials) out.push(s.dim(credentials))
  out.push(s.bold(summaryLine(plan)))
  if (plan.targets?.length) out.push(s.warning(`Partial plan: only what --target ${plan.targets.join(', ')} needs; the rest of the estate was not planned.`))
  if (plan.unreachable.length > 0) out.push(s.warning(`Unknown: ${plan.unreachable.join(', ')} could not be read and are not in this plan.`))
  if (!plan.applyable) out.push(s.error('This plan has errors and cannot be applied.'))
  yield out.join('\n') + '\n'
}

/**
 * Where links' credentials stand, when the plan read them: how many links on which generations,
 * and the next renewal due (a drift cron renews from that date on).
 */
export function credentialsLine(plan: Plan): string | undefined {
  if (plan.mode !== 'live') return undefined
  const current = plan.resource_changes.filter((c) => c.kind === 'linkerd_link_credential' && c.action === 'no-op' && typeof c.after?.renew_at === 'string')
  if (current.length === 0) return undefined
  const generations = current.map((c) => Number(c.after!.generation))
  const next = current.reduce((a, b) => (String(b.after!.renew_at) < String(a.after!.renew_at) ? b : a))
  const span = Math.min(...generations) === Math.max(...generations) ? `generation ${generations[0]}` : `generations ${Math.min(...generations)}–${Math.max(...generations)}`
  return `Link credentials: ${current.length} link${current.length === 1 ? '' : 's'} on ${span}; the next renews after ${String(next.after!.renew_at)} (${next.cluster}/${String(next.after!.link)}, generation ${String(next.after!.generation)}, expires ${String(next.after!.expires)}).`
}

export function summaryLine(plan: Plan): string {
  const {add, change, replace, destroy} = plan.summary
  return `Plan: ${add} to add, ${change} to change, ${replace} to replace, ${destroy} to destroy.`
}
