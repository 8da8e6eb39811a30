import type {Action, Plan, ResourceChange} from '../plan/types.js'

export const GRAPH_FORMATS = ['dot', 'mermaid'] as const
export type GraphFormat = (typeof GRAPH_FORMATS)[number]

export interface GraphOptions {
  /** Colour nodes by what the plan does to them; off for a graph of the spec alone. */
  readonly actions: boolean
}

/** Fill and stroke per action, the same meaning as the plan's colours (green adds, red destroys). */
const ACTION_COLORS: Record<Action, {fill: string; stroke: string}> = {
  'create': {fill: '#dafbe1', stroke: '#1a7f37'},
  'update': {fill: '#fff8c5', stroke: '#9a6700'},
  'replace': {fill: '#ffe2cc', stroke: '#bc4c00'},
  'delete': {fill: '#ffebe9', stroke: '#cf222e'},
  'no-op': {fill: '#f6f8fa', stroke: '#8c959f'},
}

/**
 * The plan's dependency graph, one box per cluster. Edges point from a resource to what it
 * depends on, as `terraform graph` draws them; only edges within the plan are drawn.
 */
export function renderGraph(plan: Plan, format: GraphFormat, options: GraphOptions): string {
  const changes = plan.resource_changes
  const present = new Set(changes.map((c) => c.address))
  const edges = changes.flatMap((c) => c.depends_on.filter((d) => present.has(d)).map((d) => [c.address, d] as const))
  const clusters = [...new Set(changes.map((c) => c.cluster))]
  return format === 'dot' ? dot(plan, clusters, edges, options) : mermaid(clusters, changes, edges, options)
}

function dot(plan: Plan, clusters: readonly string[], edges: readonly (readonly [string, string])[], options: GraphOptions): string {
  const lines = [`digraph ${quote(plan.federation)} {`, '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="monospace"];']
  for (const [i, cluster] of clusters.entries()) {
    const members = plan.resource_changes.filter((c) => c.cluster === cluster)
    if (cluster === '') {
      for (const c of members) lines.push(`  ${dotNode(c, options)}`)
      continue
    }
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(cluster)};`, '    style=rounded;')
    for (const c of members) lines.push(`    ${dotNode(c, options)}`)
    lines.push('  }')
  }
  for (const [from, to] of edges) lines.push(`  ${quote(from)} -> ${quote(to)};`)
  lines.push('}')
  return lines.join('\n') + '\n'
}

function dotNode(c: ResourceChange, options: GraphOptions): string {
  if (!options.actions) return `${quote(c.address)};`
  const color = ACTION_COLORS[c.action]
  return `${quote(c.address)} [label=${quote(`${c.address}\n(${c.action})`)}, fillcolor=${quote(color.fill)}, color=${quote(color.stroke)}];`
}

function mermaid(clusters: readonly string[], changes: readonly ResourceChange[], edges: readonly (readonly [string, string])[], options: GraphOptions): string {
  const ids = new Map(changes.map((c, i) => [c.address, `r${i}`]))
  const lines = ['flowchart LR']
  if (options.actions) for (const [action, color] of Object.entries(ACTION_COLORS)) lines.push(`  classDef ${className(action as Action)} fill:${color.fill},stroke:${color.stroke}`)
  for (const [i, cluster] of clusters.entries()) {
    const members = changes.filter((c) => c.cluster === cluster)
    const indent = cluster === '' ? '  ' : '    '
    if (cluster !== '') lines.push(`  subgraph c${i} ["${mermaidText(cluster)}"]`)
    for (const c of members) {
      const label = options.actions ? `${c.address} (${c.action})` : c.address
      lines.push(`${indent}${ids.get(c.address)}["${mermaidText(label)}"]${options.actions ? `:::${className(c.action)}` : ''}`)
    }
    if (cluster !== '') lines.push('  end')
  }
  for (const [from, to] of edges) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`)
  return lines.join('\n') + '\n'
}

function className(action: Action): string {
  return action === 'no-op' ? 'noop' : action
}

function quote(text: string): string {
  return JSON.stringify(text)
}

/** Mermaid labels are quoted; a double quote inside one is written as an entity. */
function mermaidText(text: string): string {
  return text.replaceAll('"', '#quot;')
}
