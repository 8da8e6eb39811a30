import {Args} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {applyFlags} from '../cli/apply-flags.js'
import type {ApplyResult} from '../apply/events.js'
import {applyResult, progressMode, runApply, showConfirmApply, withLockedEstate} from '../cli/apply-run.js'
import {EXIT} from '../cli/exit-codes.js'
import {validSpecOrReport} from '../cli/spec-input.js'
import {replaceFlag, selectedLayers, selectionFlags, targetFlags} from '../cli/target.js'
import {UserError} from '../diagnostics/errors.js'
import {assertApplyable} from '../engine/apply.js'
import {planRequest, planSpec, readEstate} from '../engine/plan.js'
import {assertFresh, loadPlan, savedPlanLayers} from '../engine/saved-plan.js'

export default class Apply extends BaseCommand {
  static override summary = 'Change the estate to match the spec'
  static environment = LIVE_ENVIRONMENT
  static override description =
    'Without a plan file: plans, shows the plan and asks for confirmation (unless --auto-approve). With a saved plan: re-reads the estate and refuses if anything moved since the plan was made. Creates run in dependency order, deletes in reverse; a failure skips what depends on it and a re-run converges.'
  static override examples = [
    '<%= config.bin %> apply --sandbox',
    '<%= config.bin %> plan -o plan.json && <%= config.bin %> apply plan.json',
    '<%= config.bin %> apply --auto-approve --json',
    '<%= config.bin %> apply plan.json --json-events > apply-events.jsonl',
  ]
  static override args = {plan: Args.string({description: 'a plan saved with `mcfed plan -o`'})}
  static override flags = {file: specFlag, ...targetFlags, ...selectionFlags, ...replaceFlag, ...applyFlags}

  async run(): Promise<ApplyResult | undefined> {
    const {args, flags} = await this.parse(Apply)
    const color = this.useColor(flags)
    const progress = progressMode(this.jsonEnabled(), flags['json-events'])
    const validation = await validSpecOrReport(flags.file, color, 'Apply')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return undefined
    }
    const spec = validation.spec!
    const specText = validation.sources.get(flags.file)!
    if (args.plan && (flags.target?.length || flags.replace?.length)) {
      throw new UserError('--target and --replace shape a new plan; a saved plan was shaped when it was made', `make the plan with them: \`mcfed plan ${[...(flags.target ?? []).map((t) => `--target ${t}`), ...(flags.replace ?? []).map((r) => `--replace ${r}`)].join(' ')} -o plan.json\``)
    }
    const saved = args.plan ? await loadPlan(args.plan) : undefined
    const requested = selectedLayers(flags.layer)
    const layers = saved ? savedPlanLayers(saved, args.plan!, requested) : requested
    if (saved) assertApplyable(saved, flags['allow-destroy'])
    const result = await withLockedEstate({spec, flags, layers, operation: 'apply'}, async (providers): Promise<ApplyResult> => {
      const run = {providers, parallelism: flags.parallelism, progress, color, operation: 'apply' as const}
      if (!saved) {
        const plan = await planSpec(planRequest(validation, {providers, allowUnreachable: flags['allow-unreachable'], layers, targets: flags.target, replace: flags.replace}))
        return showConfirmApply({...run, plan, flags, question: '\nDo you want to perform these actions?', cancelled: 'apply cancelled', sources: validation.sources})
      }
      assertFresh(saved, args.plan!, specText, (await readEstate(providers, spec)).fingerprints)
      return applyResult(saved, 'apply', await runApply({...run, plan: saved, allowDestroy: flags['allow-destroy']}))
    })
    if (result.outcome === 'failed') this.setExitCode(EXIT.error)
    return result
  }
}
