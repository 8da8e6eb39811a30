import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../diagnostics/errors.js'
import {planSpec} from '../engine/plan.js'
import {PLAN_FORMATS, renderPlan} from '../engine/render-plan.js'
import {savePlan} from '../engine/saved-plan.js'
import {validateFile} from '../engine/validate.js'
import {hasChanges, type Plan} from '../plan/types.js'
import {diagnosticCounts, renderDiagnostics} from '../render/diagnostics.js'
import {style} from '../render/style.js'

export default class PlanCommand extends BaseCommand {
  static override summary = 'Show what apply would change'
  static override description =
    'Validates the spec, reads the live estate (or nothing, with --offline), and prints a Terraform-style plan: + create, ~ update, -/+ replace, - destroy. With --detailed-exitcode: 0 no changes, 1 error, 2 changes.'
  static override examples = [
    '<%= config.bin %> plan --offline -f examples/three-region/federation.yaml',
    '<%= config.bin %> plan --offline --format markdown > comment.md',
    '<%= config.bin %> plan --offline -o plan.json --detailed-exitcode',
  ]
  static override flags = {
    file: specFlag,
    offline: Flags.boolean({description: 'read nothing: plan against an empty estate (no network access)'}),
    format: Flags.string({description: 'output format', options: [...PLAN_FORMATS], default: 'text'}),
    out: Flags.string({char: 'o', description: 'also save the plan as JSON to this file, for `mcfed show` and `mcfed apply`'}),
    'detailed-exitcode': Flags.boolean({description: 'exit 2 when the plan has changes, 0 when it has none, 1 on error'}),
  }

  async run(): Promise<Plan | {valid: false; diagnostics: unknown[]}> {
    const {flags} = await this.parse(PlanCommand)
    const color = this.useColor(flags)
    const validation = await validateFile(flags.file)
    if (!validation.valid || !validation.spec) {
      process.stderr.write(renderDiagnostics(validation.diagnostics, style(color), validation.sources) + '\n')
      process.stderr.write(`Planning stopped: ${flags.file} is invalid (${diagnosticCounts(validation.diagnostics)}). Nothing was read or changed.\n`)
      this.setExitCode(EXIT.error)
      return {valid: false, diagnostics: validation.diagnostics}
    }
    if (!flags.offline) {
      throw new UserError(
        'live planning needs the GCP and Kubernetes providers, which this build does not have yet',
        'run `mcfed plan --offline` to see the full creation plan without reading the estate',
      )
    }
    const plan = await planSpec({
      file: flags.file,
      spec: validation.spec,
      sourceMap: validation.parsed.sourceMap,
      diagnostics: validation.diagnostics,
    })
    if (flags.out) await savePlan(flags.out, plan)
    this.print(renderPlan(plan, flags.format as (typeof PLAN_FORMATS)[number], {color, sources: validation.sources}))
    if (flags.out && flags.format === 'text') this.print(`\nSaved the plan to ${flags.out}. Re-render it with \`mcfed show ${flags.out}\`.\n`)
    this.setExitCode(!plan.applyable ? EXIT.error : flags['detailed-exitcode'] && hasChanges(plan) ? EXIT.changes : EXIT.ok)
    return plan
  }
}
