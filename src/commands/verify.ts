import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {durationFlag} from '../cli/apply-flags.js'
import {EXIT} from '../cli/exit-codes.js'
import {validSpecOrReport} from '../cli/spec-input.js'
import {resolveGcpTarget, targetFlags} from '../cli/target.js'
import {buildProviders} from '../engine/estate.js'
import {UserError} from '../diagnostics/errors.js'
import {renderVerify, VERIFY_FORMATS, type VerifyFormat} from '../render/verify.js'
import {verifyMesh, type VerifyReport} from '../verify/verdicts.js'

export default class Verify extends BaseCommand {
  static override summary = 'Check that the mesh works as the spec implies: every service, from every cluster that should reach it'
  static environment = LIVE_ENVIRONMENT
  static override description =
    "Reads each cluster with list calls only (mirrors, federated services, gateway Endpoints, Links, the service-mirror controllers' Leases) and prints a matrix of service × cluster: the name a client uses, through what, and a verdict with its reason. Exit 0 when everything is as the spec implies, 2 on any difference, 1 on error (an unreachable cluster is named). With --wait, re-reads until it converges or the time is up."
  static override examples = ['<%= config.bin %> verify --sandbox', '<%= config.bin %> verify --wait 2m', '<%= config.bin %> verify --format markdown > mesh.md', '<%= config.bin %> verify --format mermaid']
  static override flags = {
    file: specFlag,
    sandbox: targetFlags.sandbox,
    'gcp-endpoint': targetFlags['gcp-endpoint'],
    format: Flags.string({description: 'output format', options: [...VERIFY_FORMATS], default: 'text'}),
    wait: Flags.string({description: 're-read until the mesh converges or this long has passed (e.g. 2m)', default: '0s'}),
  }

  async run(): Promise<VerifyReport | {valid: false}> {
    const {flags} = await this.parse(Verify)
    const color = this.useColor(flags)
    const waitMs = durationFlag('wait', flags.wait)
    const validation = await validSpecOrReport(flags.file, color, 'Verification')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const spec = validation.spec!
    const providers = await buildProviders(spec, resolveGcpTarget(flags), {specFile: flags.file, layers: ['kube']})
    try {
      const {KubeProvider} = await import('../providers/kube/provider.js')
      const kube = providers.find((p): p is InstanceType<typeof KubeProvider> => p instanceof KubeProvider)!
      const deadline = Date.now() + waitMs
      for (let round = 1; ; round++) {
        const read = await kube.readMesh(spec)
        if (read.unreachable.length > 0) {
          throw new UserError(
            `cannot verify: ${read.unreachable.map((u) => `${u.cluster} is unreachable (${u.reason})`).join('; ')}`,
            'check the cluster endpoints and credentials; verify reads every cluster, since each may consume from the others',
          )
        }
        const report = verifyMesh(spec, read.mesh, Date.now())
        if (report.ok || Date.now() >= deadline) {
          this.print(renderVerify(report, flags.format as VerifyFormat, {color, spec}))
          this.setExitCode(report.ok ? EXIT.ok : EXIT.changes)
          return report
        }
        const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
        process.stderr.write(`verify: round ${round}: ${report.summary.broken} broken, ${report.summary.unexpected} unexpected; reading again (${left}s left)\n`)
        await new Promise((r) => setTimeout(r, Math.min(2_000, Math.max(0, deadline - Date.now()))))
      }
    } finally {
      await Promise.all(providers.map((p) => p.close()))
    }
  }
}
