import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {sandboxInstructions, sandboxUp} from '../../sandbox/control.js'
import type {SandboxInfo} from '../../sandbox/paths.js'

export default class SandboxUp extends BaseCommand {
  static override summary = 'Start the local sandbox (GCP API simulator) in the background'
  static override description = 'State lives in ~/.mcfed/sandbox (MCFED_SANDBOX_DIR moves it) and survives restarts. Servers listen on 127.0.0.1 only.'
  static override examples = ['<%= config.bin %> sandbox up', '<%= config.bin %> sandbox up --json']
  static override flags = {port: Flags.integer({description: 'port for the GCP API simulator (default: any free port)'})}

  async run(): Promise<SandboxInfo> {
    const {flags} = await this.parse(SandboxUp)
    const {info, started} = await sandboxUp({port: flags.port})
    this.print(`${started ? 'Sandbox started.' : 'Sandbox already running.'}\n\n${sandboxInstructions(info)}`)
    return info
  }
}
