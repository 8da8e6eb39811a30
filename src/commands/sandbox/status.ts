import {BaseCommand} from '../../cli/base-command.js'
import type {EnvironmentVariable} from '../../cli/environment.js'
import {EXIT} from '../../cli/exit-codes.js'
import {sandboxInstructions, sandboxStatus} from '../../sandbox/control.js'
import type {ControllerStatus} from '../../sandbox/linkerd/controllers.js'
import {controllersTable, sandboxControllers} from '../../sandbox/linkerd/status.js'
import {sandboxDir, type SandboxInfo} from '../../sandbox/paths.js'

export default class SandboxStatus extends BaseCommand {
  static override summary = 'Show whether the sandbox runs and how to reach it'
  static environment: readonly EnvironmentVariable[] = ['MCFED_SANDBOX_DIR']
  static override examples = ['<%= config.bin %> sandbox status --json']

  async run(): Promise<(SandboxInfo & {controllers: ControllerStatus[]}) | {running: false}> {
    await this.parse(SandboxStatus)
    const info = sandboxStatus()
    if (!info) {
      this.print('No sandbox is running. Start one with `mcfed sandbox up`.\n')
      this.setExitCode(EXIT.error)
      return {running: false}
    }
    const controllers = info.linkerd_controllers ? sandboxControllers(sandboxDir()) : []
    this.print(`Sandbox running (pid ${info.pid}, since ${info.started_at}).\n\n${sandboxInstructions(info)}${info.linkerd_controllers ? `\n${controllersTable(controllers)}` : ''}`)
    return {...info, controllers}
  }
}
