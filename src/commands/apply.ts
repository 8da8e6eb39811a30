import {Args} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {applyFlags, durationFlag} from '../cli/apply-flags.js'
import {runApply, withFederationLock} from '../cli/apply-run.js'
import {confirm} from '../cli/confirm.js'
import {EXIT} from '../cli/exit-codes.js'
import {validSpecOrReport} from '../cli/spec-input.js'
import {buildProviders, resolveGcpTarget, selectedLayers, targetFlags} from '../cli/target.js'
import {UserError} from '../diagnostics/errors.js'
import {assertApplyable, staleSources} from '../engine/apply.js'
import {planSpec, readEstate, specFingerprint} from '../engine/plan.js'
import {loadPlan} from '../engine/saved-plan.js'
import {hasChanges, type Plan} from '../plan/types.js'
import {renderText} from '../render/text.js'

export default class Apply extends BaseCommand {
  static override summary = 'Change the estate to match the spec'
  static override description =
    'Without a plan file: plans, shows the plan and asks for confirmation (unless --auto-approve). With a saved plan: re-reads the estate and refuses if anything moved since the plan was made. Creates run in dependency order, deletes in reverse; a failure skips what depends on it and a re-run converges.'
  static override examples = [
    '<%= config.bin %> apply --sandbox',
    '<%= config.bin %> plan -o plan.json && <%= config.bin %> apply plan.json',
    '<%= config.bin %> apply --auto-approve --json',
  ]
  static override args = {plan: Args.string({description: 'a plan saved with `mcfed plan -o`'})}
  static override flags = {file: specFlag, ...targetFlags, ...applyFlags}

  async run(): Promise<undefined> {
    const {args, flags} = await this.parse(Apply)
    const color = this.useColor(flags)
    const json = this.jsonEnabled()
    const lockTimeout = durationFlag('lock-timeout', flags['lock-timeout'])
    const operationTimeoutMs = durationFlag('operation-timeout', flags['operation-timeout'])
    const validation = await validSpecOrReport(flags.file, color, 'Apply')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return undefined
    }
    const spec = validation.spec!
    const specText = validation.sources.get(flags.file)!
    const saved = args.plan ? await loadPlan(args.plan) : undefined
    if (saved) assertApplyable(saved, flags['allow-destroy'])
    const providers = await buildProviders(spec, resolveGcpTarget(flags), {operationTimeoutMs, specFile: flags.file, layers: selectedLayers(flags.layer)})
    try {
      await withFederationLock(providers, spec.metadata.name, spec.spec.gcp.project, 'apply', lockTimeout, async () => {
        let plan: Plan
        if (saved) {
          const estate = await readEstate(providers, spec)
          const stale = staleSources(saved.fingerprints, {spec: specFingerprint(specText), ...estate.fingerprints})
          if (stale.length > 0) {
            throw new UserError(
              `saved plan ${args.plan} is stale: ${stale.map((k) => (k === 'spec' ? 'the spec' : `the ${k} estate`)).join(' and ')} changed since it was made`,
              'make a new plan with `mcfed plan -o plan.json`, review it, and apply that',
            )
          }
          plan = saved
        } else {
          plan = await planSpec({file: flags.file, spec, sourceMap: validation.parsed.sourceMap, diagnostics: validation.diagnostics, providers, specText, allowUnreachable: flags['allow-unreachable'], layers: selectedLayers(flags.layer)})
          if (!json) process.stdout.write(renderText(plan, {color, sources: validation.sources}))
          if (!hasChanges(plan)) return
          assertApplyable(plan, flags['allow-destroy'])
          if (!flags['auto-approve'] && !(await confirm('\nDo you want to perform these actions?'))) {
            throw new UserError('apply cancelled', undefined)
          }
        }
        const summary = await runApply({plan, providers, parallelism: flags.parallelism, allowDestroy: flags['allow-destroy'], json, color})
        if (summary.failed.length > 0 || summary.interrupted.length > 0) this.setExitCode(EXIT.error)
      })
    } finally {
      await Promise.all(providers.map((p) => p.close()))
    }
    return undefined
  }
}
