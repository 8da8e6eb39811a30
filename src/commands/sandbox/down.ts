import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import type {EnvironmentVariable} from '../../cli/environment.js'
import {sandboxDown} from '../../sandbox/control.js'

export default class SandboxDown extends BaseCommand {
  static override summary = 'Stop the sandbox'
  static environment: readonly EnvironmentVariable[] = ['MCFED_SANDBOX_DIR']
  static override examples = ['<%= config.bin %> sandbox down', '<%= config.bin %> sandbox down --purge']
  static override flags = {purge: Flags.boolean({description: 'also delete its saved state'})}

  async run(): Promise<{stopped: boolean}> {
    const {flags} = await this.parse(SandboxDown)
    const stopped = await sandboxDown(flags.purge)
    this.print(stopped ? 'Sandbox stopped.\n' : 'No sandbox was running.\n')
    return {stopped}
  }
}
