import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import type {EnvironmentVariable} from '../../cli/environment.js'
import {sandboxInstructions, sandboxUp} from '../../sandbox/control.js'
import {kubeBinaries} from '../../sandbox/kube/binaries.js'
import type {SandboxInfo} from '../../sandbox/paths.js'

export default class SandboxUp extends BaseCommand {
  static override summary = 'Start the local sandbox (GCP API simulator) in the background'
  static environment: readonly EnvironmentVariable[] = ['MCFED_SANDBOX_DIR', 'MCFED_KUBE_BIN']
  static override description = 'State lives in ~/.mcfed/sandbox (MCFED_SANDBOX_DIR moves it) and survives restarts. Servers listen on 127.0.0.1 only.'
  static override examples = ['<%= config.bin %> sandbox up', '<%= config.bin %> sandbox up --json']
  static override flags = {
    port: Flags.integer({description: 'port for the GCP API simulator (default: any free port)'}),
    kube: Flags.boolean({
      description: 'give every GKE cluster a real local kube-apiserver (built from Go modules on first use: several minutes once)',
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
    const {info, started} = await sandboxUp({port: flags.port, kubeBin})
    this.print(`${started ? 'Sandbox started.' : 'Sandbox already running.'}\n\n${sandboxInstructions(info)}`)
    return info
  }
}
