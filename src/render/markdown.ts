import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {accessChanges} from '../plan/access-changes.js'
import type {Plan, ResourceChange} from '../plan/types.js'
import {isDestructive, symbol} from './actions.js'
import {resourceBlock} from './resource-block.js'
import {style} from './style.js'
import {summaryLine} from './text.js'

/** GitHub's limit on one issue or PR comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536

/** The first line of every comment, so CI can find and update its own comment in place. */
export function commentMarker(federation: string): string {
  return `<!-- mcfed-plan federation=${federation} -->`
}

/**
 * A PR comment: summary and a per-cluster table first, every destructive change listed, then
 * per-cluster details. Details are what gets trimmed to fit `limit`; the summary, the table and
 * the destructive list never are, and the comment says what it left out.
 */
export function renderMarkdown(plan: Plan, limit = GITHUB_COMMENT_LIMIT): string {
  const head = headSection(plan)
  const clusters = clusterOrder(plan)
  const details = clusters.map((c) => ({cluster: c, text: detailsBlock(plan, c)})).filter((d) => d.text !== '')
  const trimmed: string[] = []
  let body = head
  const note = (names: string[]) =>
    `\n> ✂️ Trimmed to stay under GitHub's ${limit.toLocaleString('en-US')}-character comment limit: details for ` +
    `${names.length} cluster${names.length === 1 ? '' : 's'} (${names.join(', ')}) were left out. ` +
    'The summary, the table and every destructive change above are complete; `mcfed show plan.json` prints the whole plan.\n'
  // Budget for the note assumes every cluster could be named in it.
  const reserve = note(clusters).length
  for (const d of details) {
    if (body.length + d.text.length + reserve <= limit) body += d.text
    else trimmed.push(d.cluster)
  }
  if (trimmed.length > 0) body += note(trimmed)
  return body
}

/** One bullet per diagnostic: severity, rule, file:line:col, message and hint. */
export function diagnosticItems(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const at = d.locations[0] ? ` \`${d.locations[0].file}:${d.locations[0].line}:${d.locations[0].col}\`` : ''
    return `- **${d.severity}** \`${d.rule}\`${at}: ${escape(d.message)}${d.hint ? ` _(hint: ${escape(d.hint)})_` : ''}`
  })
}

function headSection(plan: Plan): string {
  const lines = [commentMarker(plan.federation), `### mcfed plan: \`${plan.federation}\` (project \`${plan.project}\`)`, '']
  if (plan.mode === 'offline') lines.push('> ℹ️ **Offline plan:** nothing was read from GCP or the clusters, so every resource shows as new.', '')
  if (plan.targets?.length) lines.push(`> ⚠️ **Partial plan:** only what \`--target ${plan.targets.join(' --target ')}\` needs; the rest of the estate was not planned.`, '')
  const changed = plan.resource_changes.filter((c) => c.action !== 'no-op')
  if (plan.unreachable.length > 0) lines.push(`> ⚠️ **Unknown:** ${plan.unreachable.join(', ')} could not be read; their state is not in this plan.`, '')
  const findings = plan.diagnostics.filter((d) => d.drift).length
  if (changed.length === 0 && plan.unreachable.length === 0 && plan.applyable && findings > 0) {
    lines.push(`**No resource changes**, but the estate differs from the spec: ${findings} finding${findings === 1 ? '' : 's'} that apply does not fix.`, '')
  } else if (changed.length === 0 && plan.unreachable.length === 0 && plan.applyable) {
    lines.push('**No changes.** The federation matches the spec.', '')
  } else if (changed.length === 0) {
    lines.push('**No changes in what could be read.**', '')
  } else {
    lines.push(`**${summaryLine(plan)}**`, '')
    lines.push('| cluster | add | change | replace | destroy |', '|---|---:|---:|---:|---:|')
    for (const cluster of clusterOrder(plan)) {
      const of = changed.filter((c) => c.cluster === cluster)
      if (of.length === 0) continue
      const n = (a: string) => of.filter((c) => c.action === a).length
      lines.push(`| ${cluster} | ${n('create')} | ${n('update')} | ${n('replace')} | ${n('delete')} |`)
    }
    lines.push('')
  }
  // What needs --allow-destroy comes first, then the other causes, then what dies with them.
  const destructive = [
    ...changed.filter((c) => isDestructive(c) && c.guarded && !c.replaced_with),
    ...changed.filter((c) => isDestructive(c) && !c.guarded && !c.replaced_with),
    ...changed.filter((c) => isDestructive(c) && c.replaced_with),
  ]
  if (destructive.length > 0) {
    lines.push(`#### ⚠️ ${destructive.length} destructive change${destructive.length === 1 ? '' : 's'}`, '')
    for (const c of destructive) lines.push(`- \`${symbol(c)}\` \`${c.address}\`${c.reason ? `: ${escape(c.reason)}` : ''}${c.guarded ? ' **(needs `--allow-destroy`)**' : ''}`)
    lines.push('')
  }
  const access = accessChanges(plan)
  if (access.length > 0) {
    // Callers losing access first: the change most likely to page someone.
    lines.push('#### Access changes', '')
    for (const a of access) lines.push(`- ${a.destructive ? '⚠️ ' : ''}\`${a.line}\``)
    lines.push('')
  }
  if (plan.diagnostics.length > 0) {
    lines.push('#### Diagnostics', '', ...diagnosticItems(plan.diagnostics), '')
  }
  if (!plan.applyable) lines.push('**This plan has errors and cannot be applied.**', '')
  lines.push(`<sub>mcfed ${plan.mcfed_version}${plan.fingerprints.spec ? ` · spec \`${shortDigest(plan.fingerprints.spec)}\`` : ''}</sub>`, '')
  // The blank line matters: GitHub renders a following <details> as text without it.
  return lines.join('\n') + '\n'
}

function detailsBlock(plan: Plan, cluster: string): string {
  const changes = plan.resource_changes.filter((c) => c.cluster === cluster && c.action !== 'no-op')
  if (changes.length === 0) return ''
  const plain = style(false)
  const body = changes.flatMap((c) => [...resourceBlock(c, plain).map(diffFriendly), ''])
  return [
    `<details><summary><b>${cluster}</b>: ${countsText(changes)}</summary>`,
    '',
    '```diff',
    ...body,
    '```',
    '</details>',
    '',
  ].join('\n')
}

/** GitHub colours ```diff blocks by the first column: move the action symbol there, `~` as `!`. */
function diffFriendly(line: string): string {
  const m = /^(\s*)(-\/\+|\+\/-|[+\-~])(\s.*)?$/.exec(line)
  if (!m) return line
  const sym = m[2] === '~' ? '!' : m[2]!
  return `${sym}${m[1]}${m[3] ?? ''}`
}

function countsText(changes: readonly ResourceChange[]): string {
  const parts: string[] = []
  const n = (a: string) => changes.filter((c) => c.action === a).length
  if (n('create')) parts.push(`${n('create')} to add`)
  if (n('update')) parts.push(`${n('update')} to change`)
  if (n('replace')) parts.push(`${n('replace')} to replace`)
  if (n('delete')) parts.push(`${n('delete')} to destroy`)
  return parts.join(', ')
}

function clusterOrder(plan: Plan): string[] {
  return [...new Set(plan.resource_changes.map((c) => c.cluster))]
}

/** `sha256:0123456789ab`: enough to tell two specs apart in a comment. */
function shortDigest(fingerprint: string): string {
  const [algorithm, hex] = fingerprint.includes(':') ? fingerprint.split(':') : ['sha256', fingerprint]
  return `${algorithm}:${hex!.slice(0, 12)}`
}

function escape(s: string): string {
  return s.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\|/g, '\\|')
}
