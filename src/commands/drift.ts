import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {EXIT} from '../cli/exit-codes.js'
import {reportInvalidPlan} from '../cli/invalid-plan.js'
import {planForCommand} from '../cli/plan-run.js'
import {openKubeRun} from '../cli/kube-estate.js'
import {readFlags, selectionFlags, targetFlags} from '../cli/target.js'
import {treeDrift} from '../engine/gitops-drift.js'
import type {ClusterTreeDrift} from '../gitops/object-drift.js'
import {PLAN_FORMATS, renderPlanChunks, type PlanFormat} from '../engine/render-plan.js'
import {hasChanges, type Plan} from '../plan/types.js'
import type {FailedPlan} from '../render/failed-plan.js'
import {renderTreeDriftText} from '../render/gitops.js'
import {style} from '../render/style.js'

export default class Drift extends BaseCommand {
  static override summary = 'Detect drift: exit 0 clean, 2 drift, 1 error'
  static environment = LIVE_ENVIRONMENT
  static override description =
    'A plan whose purpose is detection, for cron jobs: it changes nothing and always uses detailed exit codes. Anything the federation owns that differs from the spec, or is missing, is drift.'
  static override examples = ['<%= config.bin %> drift --sandbox', '<%= config.bin %> drift --format markdown > drift-report.md']
  static override flags = {
    file: specFlag,
    ...targetFlags,
    ...readFlags,
    ...selectionFlags,
    format: Flags.string({description: 'report format', options: [...PLAN_FORMATS], default: 'text'}),
    gitops: Flags.string({description: 'GitOps mode: compare the live clusters with the tree `mcfed render` wrote in this directory (what the engine should have applied)'}),
  }

  async run(): Promise<Plan | FailedPlan | {valid: false} | ClusterTreeDrift[]> {
    const {flags} = await this.parse(Drift)
    const color = this.useColor(flags)
    if (flags.gitops) return this.treeDrift(flags.gitops, flags, color)
    const planned = await planForCommand({...flags, color})
    if ('invalid' in planned) {
      this.setExitCode(EXIT.error)
      return reportInvalidPlan(planned.invalid, {format: flags.format as PlanFormat, json: this.jsonEnabled(), color, what: 'Drift detection'})
    }
    const {plan, sources} = planned
    await this.printChunks(renderPlanChunks(plan, flags.format as PlanFormat, {color, sources}))
    if (flags.format === 'text' && hasChanges(plan)) this.print('\nDrift detected: run `mcfed apply` to repair it.\n')
    this.setExitCode(!plan.applyable ? EXIT.error : hasChanges(plan) ? EXIT.changes : EXIT.ok)
    return plan
  }

  private async treeDrift(dir: string, flags: {file: string; sandbox?: boolean; 'gcp-endpoint'?: string}, color: boolean): Promise<{valid: false} | ClusterTreeDrift[]> {
    const run = await openKubeRun(flags, color, 'Drift detection')
    if (!run) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    try {
      const clusters = await treeDrift(dir, (c) => run.kube.clusterClient(c))
      this.print(renderTreeDriftText(dir, clusters, style(color)))
      this.setExitCode(clusters.some((c) => c.unreachable) ? EXIT.error : clusters.some((c) => c.drift.length > 0) ? EXIT.changes : EXIT.ok)
      return clusters
    } finally {
      await run.close()
    }
  }
}
