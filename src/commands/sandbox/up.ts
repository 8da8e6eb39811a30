import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import type {EnvironmentVariable} from '../../cli/environment.js'
import {sandboxInstructions, sandboxUp} from '../../sandbox/control.js'
import {kubeBinaries} from '../../sandbox/kube/binaries.js'
import {linkerdBinaries} from '../../sandbox/linkerd/binaries.js'
import type {SandboxInfo} from '../../sandbox/paths.js'

/** The releases the sandbox is tested with; others run too where their controller is found. */
const KNOWN_RELEASES = ['edge-25.10.7', 'edge-26.6.3']

export default class SandboxUp extends BaseCommand {
  static override summary = 'Start the local sandbox (GCP API simulator) in the background'
  static environment: readonly EnvironmentVariable[] = ['MCFED_SANDBOX_DIR', 'MCFED_KUBE_BIN', 'MCFED_LINKERD_CONTROLLER']
  static override description = 'State lives in ~/.mcfed/sandbox (MCFED_SANDBOX_DIR moves it) and survives restarts. Servers listen on 127.0.0.1 only.'
  static override examples = ['<%= config.bin %> sandbox up', '<%= config.bin %> sandbox up --json']
  static override flags = {
    port: Flags.integer({description: 'port for the GCP API simulator (default: any free port)'}),
    kube: Flags.boolean({
      description: 'give every GKE cluster a real local kube-apiserver (built from Go modules on first use: several minutes once)',
      default: true,
      allowNo: true,
    }),
    linkerd: Flags.boolean({
      description: "run Linkerd's own destination and service-mirror controllers for the pods that describe them (where Linkerd's binaries are found)",
      default: true,
      allowNo: true,
    }),
  }

  async run(): Promise<SandboxInfo> {
    const {flags} = await this.parse(SandboxUp)
    let kubeBin: string | undefined
    if (flags.kube) {
      if (!this.jsonEnabled()) process.stderr.write('Preparing kube-apiserver and etcd (cached after the first build)...\n')
      kubeBin = await kubeBinaries()
    }
    const linkerd = flags.kube && flags.linkerd
    const {info, started} = await sandboxUp({port: flags.port, kubeBin, linkerd})
    this.print(`${started ? 'Sandbox started.' : 'Sandbox already running.'}\n\n${sandboxInstructions(info)}`)
    if (linkerd && started) await this.sayWhatIsMissing()
    return info
  }

  /** Once, at start: without Linkerd's binaries the sandbox runs no controller and nothing is mirrored. */
  private async sayWhatIsMissing(): Promise<void> {
    const found = await Promise.all(KNOWN_RELEASES.map((r) => linkerdBinaries(r, {controllerOnly: true})))
    const missing = found.filter((f) => !f.ok)
    if (missing.length === found.length) {
      process.stderr.write(
        `Linkerd's controllers were not found (${missing.map((m) => `${m.release}: ${'reason' in m ? m.reason : ''}`).join('; ')}): Linkerd's pods will run, but nothing will be mirrored. Build them with tools/linkerd/binaries.sh 2.19 (needs Linkerd's source beside the checkout), then restart the sandbox.\n`,
      )
    }
  }
}
