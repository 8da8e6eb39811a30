import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {PLAN_FORMATS, renderPlan} from '../engine/render-plan.js'
import {loadPlan} from '../engine/saved-plan.js'
import type {Plan} from '../plan/types.js'

export default class Show extends BaseCommand {
  static override summary = 'Render a saved plan'
  static override description = 'Re-renders a plan saved with `mcfed plan -o plan.json` in any format, without reading the spec or the estate.'
  static override examples = ['<%= config.bin %> show plan.json', '<%= config.bin %> show plan.json --format markdown']
  static override args = {plan: Args.string({description: 'saved plan file', required: true})}
  static override flags = {
    format: Flags.string({description: 'output format', options: [...PLAN_FORMATS], default: 'text'}),
  }

  async run(): Promise<Plan> {
    const {args, flags} = await this.parse(Show)
    const plan = await loadPlan(args.plan)
    this.print(renderPlan(plan, flags.format as (typeof PLAN_FORMATS)[number], {color: this.useColor(flags)}))
    return plan
  }
}
