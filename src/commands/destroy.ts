import {BaseCommand, specFlag} from '../cli/base-command.js'
import {applyFlags, durationFlag} from '../cli/apply-flags.js'
import {runApply, withFederationLock} from '../cli/apply-run.js'
import {confirm} from '../cli/confirm.js'
import {EXIT} from '../cli/exit-codes.js'
import {validSpecOrReport} from '../cli/spec-input.js'
import {buildProviders, resolveGcpTarget, selectedLayers, targetFlags} from '../cli/target.js'
import {UserError} from '../diagnostics/errors.js'
import {assertApplyable} from '../engine/apply.js'
import {planSpec} from '../engine/plan.js'
import {hasChanges} from '../plan/types.js'
import {renderText} from '../render/text.js'

export default class Destroy extends BaseCommand {
  static override summary = 'Remove everything the federation owns'
  static override description =
    'Plans the deletion of every resource carrying this federation\'s ownership marker, in reverse dependency order, and nothing else. Networks, subnets and clusters need --allow-destroy.'
  static override examples = ['<%= config.bin %> destroy --sandbox --allow-destroy']
  static override flags = {file: specFlag, ...targetFlags, ...applyFlags}

  async run(): Promise<undefined> {
    const {flags} = await this.parse(Destroy)
    const color = this.useColor(flags)
    const json = this.jsonEnabled()
    const validation = await validSpecOrReport(flags.file, color, 'Destroy')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return undefined
    }
    const spec = validation.spec!
    const providers = await buildProviders(spec, resolveGcpTarget(flags), {operationTimeoutMs: durationFlag('operation-timeout', flags['operation-timeout']), specFile: flags.file, layers: selectedLayers(flags.layer)})
    try {
      await withFederationLock(providers, spec.metadata.name, spec.spec.gcp.project, 'destroy', durationFlag('lock-timeout', flags['lock-timeout']), async () => {
        const plan = await planSpec({file: flags.file, spec, sourceMap: validation.parsed.sourceMap, diagnostics: validation.diagnostics, providers, destroy: true, layers: selectedLayers(flags.layer)})
        if (!json) process.stdout.write(renderText(plan, {color}))
        if (!hasChanges(plan)) return
        assertApplyable(plan, flags['allow-destroy'])
        if (!flags['auto-approve'] && !(await confirm(`\nDestroy everything federation ${spec.metadata.name} owns?`))) throw new UserError('destroy cancelled')
        const summary = await runApply({plan, providers, parallelism: flags.parallelism, allowDestroy: flags['allow-destroy'], json, color})
        if (summary.failed.length > 0 || summary.interrupted.length > 0) this.setExitCode(EXIT.error)
      })
    } finally {
      await Promise.all(providers.map((p) => p.close()))
    }
    return undefined
  }
}
