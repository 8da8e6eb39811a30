import type {ClusterTreeDrift} from '../gitops/object-drift.js'
import type {FileChange} from '../gitops/tree-diff.js'
import {scopeOf} from '../gitops/tree-diff.js'
import type {Style} from './style.js'

export interface TreeChangeSummary {
  readonly create: number
  readonly update: number
  readonly rename: number
  readonly delete: number
  /** Clusters (and `engine`) whose files change. */
  readonly scopes: string[]
}

export function summarizeTreeChanges(changes: readonly FileChange[]): TreeChangeSummary {
  return {
    create: changes.filter((c) => c.action === 'create').length,
    update: changes.filter((c) => c.action === 'update').length,
    rename: changes.filter((c) => c.action === 'rename').length,
    delete: changes.filter((c) => c.action === 'delete').length,
    scopes: [...new Set(changes.map((c) => scopeOf(c.path)))].sort(),
  }
}

const SIGN = {create: '+', update: '~', rename: '~', delete: '-'} as const

const pathOf = (c: FileChange) => (c.from ? `${c.from} → ${c.path}` : c.path)

/** Terraform-style: the files per cluster, a summary line, then (asked for) the unified diff. */
export function renderTreeChangesText(dir: string, changes: readonly FileChange[], s: Style, withDiff: boolean): string {
  if (changes.length === 0) return `No changes. ${dir} is what the spec renders.\n`
  const colour = {create: s.create, update: s.update, rename: s.update, delete: s.destroy}
  const lines: string[] = []
  for (const scope of summarizeTreeChanges(changes).scopes) {
    lines.push(s.bold(scope === 'engine' ? 'engine' : `cluster ${scope}`))
    for (const c of changes.filter((x) => scopeOf(x.path) === scope)) lines.push(`  ${colour[c.action](`${SIGN[c.action]} ${pathOf(c)}`)} ${s.dim(`(+${c.added} -${c.removed})`)}`)
  }
  const sum = summarizeTreeChanges(changes)
  lines.push('', `Render: ${counts(sum)} in ${dir}.`)
  if (withDiff) {
    lines.push('')
    for (const c of changes) lines.push(...c.patch.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === '')).map((l) => (l.startsWith('+') && !l.startsWith('+++') ? s.create(l) : l.startsWith('-') && !l.startsWith('---') ? s.destroy(l) : l)))
  }
  return lines.join('\n') + '\n'
}

/** A pull-request comment: the summary as a table and each file's diff in a collapsed block. */
export function renderTreeChangesMarkdown(dir: string, changes: readonly FileChange[]): string {
  if (changes.length === 0) return `### mcfed render: no changes\n\n\`${dir}\` is what the spec renders.\n`
  const sum = summarizeTreeChanges(changes)
  const lines = [`### mcfed render: ${counts(sum)}`, '', '| | file | lines |', '|---|---|---|']
  for (const c of changes) lines.push(`| ${SIGN[c.action]} | \`${pathOf(c)}\` | +${c.added} -${c.removed} |`)
  for (const scope of sum.scopes) {
    lines.push('', `<details><summary>${scope === 'engine' ? 'engine' : `cluster ${scope}`}</summary>`, '', '```diff')
    for (const c of changes.filter((x) => scopeOf(x.path) === scope)) lines.push(c.patch.replace(/\n$/, ''))
    lines.push('```', '', '</details>')
  }
  return lines.join('\n') + '\n'
}

function counts(sum: TreeChangeSummary): string {
  return `${sum.create} to create, ${sum.update} to change, ${sum.rename > 0 ? `${sum.rename} to rename, ` : ''}${sum.delete} to delete`
}

/** `mcfed drift --gitops`: per cluster, what departs from the tree. */
export function renderTreeDriftText(dir: string, clusters: readonly ClusterTreeDrift[], s: Style): string {
  const lines: string[] = []
  for (const c of clusters) {
    if (c.unreachable) {
      lines.push(`${s.bold(`cluster ${c.cluster}`)}: ${s.error(`cannot be read: ${c.unreachable}`)}`)
      continue
    }
    if (c.drift.length === 0) {
      lines.push(`${s.bold(`cluster ${c.cluster}`)}: ${c.objects} objects as ${dir} has them`)
      continue
    }
    lines.push(`${s.bold(`cluster ${c.cluster}`)}: ${c.drift.length} of ${c.objects} objects depart from ${dir}`)
    for (const d of c.drift) {
      lines.push(d.problem === 'missing' ? `  ${s.create(`+ ${d.object}`)} missing: the engine has not applied it` : `  ${s.update(`~ ${d.object}`)} ${d.path}: the tree has ${short(d.want)}, the cluster ${short(d.live)}`)
    }
  }
  const drifted = clusters.filter((c) => c.drift.length > 0 || c.unreachable).length
  lines.push('', drifted === 0 ? `No drift: every cluster holds what ${dir} says.` : `Drift in ${drifted} of ${clusters.length} clusters: a sync is stuck or someone edited the cluster; see the engine's sync status, or commit the change to Git.`)
  return lines.join('\n') + '\n'
}

function short(v: unknown): string {
  const text = v === undefined ? 'nothing' : JSON.stringify(v)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
