import {Flags} from '@oclif/core'

import {durationFlag} from '../../cli/apply-flags.js'
import {BaseCommand, specFlag} from '../../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../../cli/environment.js'
import {EXIT} from '../../cli/exit-codes.js'
import {openKubeRun} from '../../cli/kube-estate.js'
import {targetFlags} from '../../cli/target.js'
import type {RecordedDeployment} from '../../drill/record.js'
import {findRecords, restoreRecord} from '../../engine/drill.js'

interface Restored {
  readonly cluster: string
  readonly started: string
  readonly deployments: readonly RecordedDeployment[]
  readonly waiting: readonly string[]
  readonly gone: readonly string[]
}

export default class DrillRestore extends BaseCommand {
  static override summary = 'Restore what a drill cut off left down: every recorded Deployment to its recorded replica count'
  static environment = LIVE_ENVIRONMENT
  static override description =
    'Reads the drill record (ConfigMap default/mcfed-drill-<federation>) in every cluster, or in --cluster, scales each recorded Deployment back to its recorded count, waits for them to be ready, then deletes the record. Nothing recorded: nothing to do. Exit 0 when everything recorded is back and ready, 2 when something is not ready within --timeout or was deleted meanwhile, 1 on error.'
  static override examples = ['<%= config.bin %> drill restore --sandbox', '<%= config.bin %> drill restore --cluster east']
  static override flags = {
    file: specFlag,
    sandbox: targetFlags.sandbox,
    'gcp-endpoint': targetFlags['gcp-endpoint'],
    cluster: Flags.string({description: 'only this cluster'}),
    timeout: Flags.string({description: 'how long the restored Deployments may take to be ready', default: '3m'}),
  }

  async run(): Promise<{restored: Restored[]} | {valid: false}> {
    const {flags} = await this.parse(DrillRestore)
    const timeoutMs = durationFlag('timeout', flags.timeout)
    const run = await openKubeRun(flags, this.useColor(flags), 'The restore')
    if (!run) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const {spec, kube, close} = run
    try {
      const records = await findRecords(spec, kube, flags.cluster)
      if (records.length === 0) {
        this.print(`No drill record in ${flags.cluster ?? 'any cluster'}: nothing to restore.\n`)
        return {restored: []}
      }
      const restored: Restored[] = []
      for (const r of records) {
        const left = await restoreRecord(spec, kube, r, timeoutMs, (line) => process.stderr.write(`restore: ${line}\n`))
        restored.push({cluster: r.cluster, started: r.started, deployments: r.deployments, ...left})
        this.print(`Restored ${r.cluster} (drill of ${r.started}): ${r.deployments.map((d) => `${d.namespace}/${d.name} ${d.replicas}`).join(', ')}\n`)
        for (const w of left.waiting) this.print(`  not ready within ${flags.timeout}: ${w}\n`)
        for (const g of left.gone) this.print(`  deleted since the drill, not restored: ${g}\n`)
      }
      const complete = restored.every((r) => r.waiting.length === 0 && r.gone.length === 0)
      this.setExitCode(complete ? EXIT.ok : EXIT.changes)
      return {restored}
    } finally {
      await close()
    }
  }
}
