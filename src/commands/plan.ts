import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {EXIT} from '../cli/exit-codes.js'
import {reportInvalidPlan} from '../cli/invalid-plan.js'
import {planForCommand} from '../cli/plan-run.js'
import {readFlags, replaceFlag, selectionFlags, targetFlags} from '../cli/target.js'
import {PLAN_FORMATS, renderPlanChunks, type PlanFormat} from '../engine/render-plan.js'
import {savePlan} from '../engine/saved-plan.js'
import {hasChanges, type Plan} from '../plan/types.js'
import type {FailedPlan} from '../render/failed-plan.js'

export default class PlanCommand extends BaseCommand {
  static override summary = 'Show what apply would change'
  static environment = LIVE_ENVIRONMENT
  static override description =
    'Validates the spec, reads the live estate with list calls (or nothing, with --offline), and prints a Terraform-style plan: + create, ~ update, -/+ replace, - destroy. With --detailed-exitcode: 0 no changes, 1 error, 2 changes.'
  static override examples = [
    '<%= config.bin %> plan --sandbox',
    '<%= config.bin %> plan --offline -f examples/three-region/federation.yaml',
    '<%= config.bin %> plan --format markdown > comment.md',
    '<%= config.bin %> plan -o plan.json --detailed-exitcode',
  ]
  static override flags = {
    file: specFlag,
    ...targetFlags,
    ...readFlags,
    ...selectionFlags, ...replaceFlag,
    offline: Flags.boolean({description: 'read nothing: plan against an empty estate (no network access)'}),
    format: Flags.string({description: 'output format', options: [...PLAN_FORMATS], default: 'text'}),
    out: Flags.string({char: 'o', description: 'also save the plan as JSON to this file, for `mcfed show` and `mcfed apply`'}),
    'detailed-exitcode': Flags.boolean({description: 'exit 2 when the plan has changes, 0 when it has none, 1 on error'}),
  }

  async run(): Promise<Plan | FailedPlan> {
    const {flags} = await this.parse(PlanCommand)
    const color = this.useColor(flags)
    const planned = await planForCommand({...flags, color})
    if ('invalid' in planned) {
      this.setExitCode(EXIT.error)
      return reportInvalidPlan(planned.invalid, {format: flags.format as PlanFormat, json: this.jsonEnabled(), color, what: 'Planning'})
    }
    const {plan, sources} = planned
    if (flags.out) await savePlan(flags.out, plan)
    await this.printChunks(renderPlanChunks(plan, flags.format as PlanFormat, {color, sources}))
    if (flags.out && flags.format === 'text') this.print(`\nSaved the plan to ${flags.out}. Apply exactly this plan with \`mcfed apply ${flags.out}\`.\n`)
    this.setExitCode(!plan.applyable ? EXIT.error : flags['detailed-exitcode'] && hasChanges(plan) ? EXIT.changes : EXIT.ok)
    return plan
  }
}
