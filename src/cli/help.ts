import {Help, type Command} from '@oclif/core'

import {COMMON_ENVIRONMENT, ENVIRONMENT, type EnvironmentVariable} from './environment.js'

/** oclif's help with one more section: the environment variables a command reads (`static environment`). */
export default class McfedHelp extends Help {
  protected override formatCommand(command: Command.Loadable): string {
    const own = ((command as {environment?: readonly EnvironmentVariable[]}).environment ?? []).filter((v) => v in ENVIRONMENT)
    const variables = [...new Set([...own, ...COMMON_ENVIRONMENT])]
    return `${super.formatCommand(command)}\n\n${this.section('ENVIRONMENT', this.renderList(variables.map((v) => [v, ENVIRONMENT[v]]), {indentation: 2, spacer: '\n', stripAnsi: this.opts.stripAnsi}))}`
  }
}
