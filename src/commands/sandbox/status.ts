import {BaseCommand} from '../../cli/base-command.js'
import type {EnvironmentVariable} from '../../cli/environment.js'
import {EXIT} from '../../cli/exit-codes.js'
import {sandboxInstructions, sandboxStatus} from '../../sandbox/control.js'
import type {SandboxInfo} from '../../sandbox/paths.js'

export default class SandboxStatus extends BaseCommand {
  static override summary = 'Show whether the sandbox runs and how to reach it'
  static environment: readonly EnvironmentVariable[] = ['MCFED_SANDBOX_DIR']
  static override examples = ['<%= config.bin %> sandbox status --json']

  async run(): Promise<SandboxInfo | {running: false}> {
    await this.parse(SandboxStatus)
    const info = sandboxStatus()
    if (!info) {
      this.print('No sandbox is running. Start one with `mcfed sandbox up`.\n')
      this.setExitCode(EXIT.error)
      return {running: false}
    }
    this.print(`Sandbox running (pid ${info.pid}, since ${info.started_at}).\n\n${sandboxInstructions(info)}`)
    return info
  }
}
