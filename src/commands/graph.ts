import {Args, Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import type {EnvironmentVariable} from '../cli/environment.js'
import {EXIT} from '../cli/exit-codes.js'
import {planForCommand} from '../cli/plan-run.js'
import {reportInvalidSpec} from '../cli/spec-input.js'
import {loadPlan} from '../engine/saved-plan.js'
import {GRAPH_FORMATS, renderGraph, type GraphFormat} from '../render/graph.js'

export interface GraphResult {
  readonly format: GraphFormat
  readonly graph: string
}

export default class Graph extends BaseCommand {
  static override summary = 'Draw the dependency graph as Graphviz dot or Mermaid'
  static environment: readonly EnvironmentVariable[] = ['MCFED_GCP_PROJECT']
  static override description =
    'Without a plan file: the graph of everything the spec implies (read offline, nothing is called). With a saved plan: that plan\'s resources, coloured by action (create, update, replace, delete, no-op). Resources are grouped by cluster; an edge points from a resource to what it depends on.'
  static override examples = [
    '<%= config.bin %> graph -f federation.yaml | dot -Tsvg > federation.svg',
    '<%= config.bin %> plan -o plan.json && <%= config.bin %> graph plan.json --format mermaid',
  ]
  static override args = {plan: Args.string({description: 'a plan saved with `mcfed plan -o`; its actions colour the graph'})}
  static override flags = {
    file: specFlag,
    format: Flags.string({description: 'graph language', options: [...GRAPH_FORMATS], default: 'dot'}),
  }

  async run(): Promise<GraphResult | undefined> {
    const {args, flags} = await this.parse(Graph)
    const format = flags.format as GraphFormat
    if (args.plan) return this.emit(format, renderGraph(await loadPlan(args.plan), format, {actions: true}))
    const planned = await planForCommand({file: flags.file, color: false, offline: true})
    if ('invalid' in planned) {
      reportInvalidSpec(planned.invalid, this.useColor(flags), 'Drawing the graph')
      this.setExitCode(EXIT.error)
      return undefined
    }
    return this.emit(format, renderGraph(planned.plan, format, {actions: false}))
  }

  private emit(format: GraphFormat, graph: string): GraphResult {
    this.print(graph)
    return {format, graph}
  }
}
