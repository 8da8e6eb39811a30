import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {applyFlags} from '../cli/apply-flags.js'
import type {ApplyResult} from '../apply/events.js'
import {progressMode, showConfirmApply, withLockedEstate} from '../cli/apply-run.js'
import {EXIT} from '../cli/exit-codes.js'
import {validSpecOrReport} from '../cli/spec-input.js'
import {selectedLayers, selectionFlags, targetFlags} from '../cli/target.js'
import {planRequest, planSpec} from '../engine/plan.js'

export default class Destroy extends BaseCommand {
  static override summary = 'Remove everything the federation owns'
  static environment = LIVE_ENVIRONMENT
  static override description =
    'Plans the deletion of every resource carrying this federation\'s ownership marker, in reverse dependency order, and nothing else. Networks, subnets and clusters need --allow-destroy.'
  static override examples = ['<%= config.bin %> destroy --sandbox --allow-destroy']
  static override flags = {file: specFlag, ...targetFlags, ...selectionFlags, ...applyFlags}

  async run(): Promise<ApplyResult | undefined> {
    const {flags} = await this.parse(Destroy)
    const color = this.useColor(flags)
    const validation = await validSpecOrReport(flags.file, color, 'Destroy')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return undefined
    }
    const spec = validation.spec!
    const result = await withLockedEstate({spec, flags, operation: 'destroy'}, async (providers) => {
      const plan = await planSpec(planRequest(validation, {providers, destroy: true, layers: selectedLayers(flags.layer), targets: flags.target}))
      const question = flags.target?.length
        ? `\nDestroy ${flags.target.join(', ')} and what cannot outlive ${flags.target.length === 1 ? 'it' : 'them'}?`
        : `\nDestroy everything federation ${spec.metadata.name} owns?`
      return showConfirmApply({plan, providers, parallelism: flags.parallelism, progress: progressMode(this.jsonEnabled(), flags['json-events']), color, flags, operation: 'destroy', question, cancelled: 'destroy cancelled'})
    })
    if (result.outcome === 'failed') this.setExitCode(EXIT.error)
    return result
  }
}
