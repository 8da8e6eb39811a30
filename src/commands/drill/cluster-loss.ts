import {Flags} from '@oclif/core'

import {durationFlag} from '../../cli/apply-flags.js'
import {BaseCommand, specFlag} from '../../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../../cli/environment.js'
import {EXIT} from '../../cli/exit-codes.js'
import {openKubeRun} from '../../cli/kube-estate.js'
import {targetFlags} from '../../cli/target.js'
import type {DrillReport} from '../../drill/report.js'
import {clusterLoss} from '../../engine/drill.js'
import {DRILL_FORMATS, renderDrill, type DrillFormat} from '../../render/drill.js'

export default class DrillClusterLoss extends BaseCommand {
  static override summary = "Take one cluster's services down, watch every other cluster absorb the loss, restore them as they were"
  static environment = LIVE_ENVIRONMENT
  static override description = [
    "Records the replica count of every Deployment behind the spec's services in the cluster (in a ConfigMap there, default/mcfed-drill-<federation>, before anything changes), scales them to zero, and for --hold watches verify in every other cluster: a federated service must lose exactly that cluster's endpoints and keep every other member's, flat and gateway mirrors of its services must have no ready endpoints, everything else must stay as it was. Then restores the recorded counts (never 1), waits for them to be ready and for the mesh to be as before, and reports each federated service's shares before, during and after, the mirrors that failed as expected, and how long each took.",
    'Refuses to start unless verify is green (--force drills anyway). SIGINT or SIGTERM restores before exiting; a drill killed outright is restored by `mcfed drill restore` or by running the drill again.',
    'Exit 0 when the mesh behaved as the spec implies, 2 when not, 1 on error or interruption.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> drill cluster-loss --cluster east --sandbox',
    '<%= config.bin %> drill cluster-loss --cluster east --services frontend --hold 2m',
    '<%= config.bin %> drill cluster-loss --cluster east --dry-run',
    '<%= config.bin %> drill cluster-loss --cluster east --format markdown > drill.md',
  ]
  static override flags = {
    file: specFlag,
    sandbox: targetFlags.sandbox,
    'gcp-endpoint': targetFlags['gcp-endpoint'],
    cluster: Flags.string({description: 'the cluster to take down', required: true}),
    services: Flags.string({description: "only these of the spec's services in the cluster (comma-separated); default: every one that runs there", delimiter: ',', multiple: true}),
    hold: Flags.string({description: 'how long the cluster stays down; the loss must show within it', default: '30s'}),
    timeout: Flags.string({description: 'how long the restore may take to be ready and as before', default: '3m'}),
    'canary-timeout': Flags.string({description: "how long the first verify waits for a change to a target's canary to come through", default: '30s'}),
    'dry-run': Flags.boolean({description: 'say what would be recorded, scaled and expected to fail; change nothing', default: false}),
    force: Flags.boolean({description: 'drill although verify is not green first', default: false}),
    format: Flags.string({description: 'output format', options: [...DRILL_FORMATS], default: 'text'}),
  }

  async run(): Promise<DrillReport | {valid: false}> {
    const {flags} = await this.parse(DrillClusterLoss)
    const color = this.useColor(flags)
    const holdMs = durationFlag('hold', flags.hold)
    const timeoutMs = durationFlag('timeout', flags.timeout)
    const canaryMs = durationFlag('canary-timeout', flags['canary-timeout'])
    const run = await openKubeRun(flags, color, 'The drill')
    if (!run) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const {spec, kube, close} = run
    const interrupt = new AbortController()
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`drill: ${signal}: restoring before exiting (again to abandon; \`mcfed drill restore\` finishes it)\n`)
      interrupt.abort(signal)
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      const report = await clusterLoss({
        spec,
        kube,
        cluster: flags.cluster,
        services: flags.services,
        holdMs,
        timeoutMs,
        canaryMs,
        dryRun: flags['dry-run'],
        force: flags.force,
        signal: interrupt.signal,
        progress: (line) => process.stderr.write(`drill: ${line}\n`),
      })
      this.print(renderDrill(report, flags.format as DrillFormat, color))
      this.setExitCode(report.interrupted ? EXIT.error : report.ok ? EXIT.ok : EXIT.changes)
      return report
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await close()
    }
  }
}
