import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {durationFlag} from '../cli/apply-flags.js'
import {EXIT} from '../cli/exit-codes.js'
import {openKubeRun} from '../cli/kube-estate.js'
import {targetFlags} from '../cli/target.js'
import {UserError} from '../diagnostics/errors.js'
import {renderVerify, VERIFY_FORMATS, type VerifyFormat} from '../render/verify.js'
import {verifyMesh, type VerifyReport} from '../verify/verdicts.js'

export default class Verify extends BaseCommand {
  static override summary = 'Check that the mesh works as the spec implies: every service, from every cluster that should reach it'
  static environment = LIVE_ENVIRONMENT
  static override description =
    "Reads each cluster with list calls (mirrors, federated services, gateway Endpoints, Links, the service-mirror controllers' Leases), asks each link's target whether it grants the link's own credentials what a service mirror needs, and prints a matrix of service × cluster: the name a client uses, through what, and a verdict with its reason, then each link with its credential generation and when a change last came through it. Its one write: a new value on each link target's canary Service, which every consumer's mirror must come to carry within --canary-timeout (--read-only writes nothing and judges by the last value that came through). Exit 0 when everything is as the spec implies, 2 on any difference, 1 on error (an unreachable cluster is named). With --wait, re-reads until it converges or the time is up."
  static override examples = ['<%= config.bin %> verify --sandbox', '<%= config.bin %> verify --wait 2m', '<%= config.bin %> verify --format markdown > mesh.md', '<%= config.bin %> verify --format mermaid']
  static override flags = {
    file: specFlag,
    sandbox: targetFlags.sandbox,
    'gcp-endpoint': targetFlags['gcp-endpoint'],
    format: Flags.string({description: 'output format', options: [...VERIFY_FORMATS], default: 'text'}),
    wait: Flags.string({description: 're-read until the mesh converges or this long has passed (e.g. 2m)', default: '0s'}),
    'read-only': Flags.boolean({
      description: "write nothing: judge each link by the last change to its target's canary that reached the consumer, instead of making a new one",
      default: false,
    }),
    'canary-timeout': Flags.string({description: "how long a change to a target's canary may take to reach every consumer's mirror", default: '30s'}),
  }

  async run(): Promise<VerifyReport | {valid: false}> {
    const {flags} = await this.parse(Verify)
    const color = this.useColor(flags)
    const waitMs = durationFlag('wait', flags.wait)
    const canaryMs = durationFlag('canary-timeout', flags['canary-timeout'])
    const run = await openKubeRun(flags, color, 'Verification')
    if (!run) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const {spec, kube, close} = run
    try {
      // The writing form: a new value on every target's canary, which each link must carry across.
      const bumped = flags['read-only'] ? [] : await kube.bumpCanaries(spec, new Date().toISOString())
      const deadline = Date.now() + waitMs
      const canaryDeadline = Date.now() + (bumped.length > 0 ? canaryMs : 0)
      for (let round = 1; ; round++) {
        const read = await kube.readMesh(spec)
        if (read.unreachable.length > 0) {
          throw new UserError(
            `cannot verify: ${read.unreachable.map((u) => `${u.cluster} is unreachable (${u.reason})`).join('; ')}`,
            'check the cluster endpoints and credentials; verify reads every cluster, since each may consume from the others',
          )
        }
        const report = verifyMesh(spec, read.mesh, Date.now())
        // A canary change still on its way is worth another read, within its own bound.
        const travelling = report.links.some((l) => l.verdict === 'link-stale') && Date.now() < canaryDeadline
        if (report.ok || (Date.now() >= deadline && !travelling)) {
          this.print(renderVerify(report, flags.format as VerifyFormat, {color, spec}))
          this.setExitCode(report.ok ? EXIT.ok : EXIT.changes)
          return report
        }
        const until = travelling ? Math.max(deadline, canaryDeadline) : deadline
        const left = Math.max(0, Math.round((until - Date.now()) / 1000))
        if (!travelling || Date.now() >= deadline) process.stderr.write(`verify: round ${round}: ${report.summary.broken} broken, ${report.summary.unexpected} unexpected, ${report.summary.links_broken} links not served; reading again (${left}s left)\n`)
        await new Promise((r) => setTimeout(r, Math.min(travelling ? 500 : 2_000, Math.max(0, until - Date.now()))))
      }
    } finally {
      await close()
    }
  }
}
