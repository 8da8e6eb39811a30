import {Config, flush, handle, run} from '@oclif/core'

import {describeUsageError, isUsageError, reportUsage, unknownCommandProblem, type UsageProblem} from './usage-error.js'

/**
 * The process entry: runs a command and turns command-line mistakes into exit 1 with one line and
 * a suggestion. Unknown commands are caught here because oclif reports them before any command runs;
 * at a terminal the not-found plugin still offers to run its guess.
 */
export async function main(argv: string[], root: string): Promise<void> {
  const config = await Config.load(root)
  const problem = commandLineProblem(config, argv)
  if (problem && !process.stdin.isTTY) return reportUsage(problem, argv)
  try {
    await run(argv, config)
    await flush()
  } catch (err) {
    if (problem) return reportUsage(problem, argv)
    // The not-found plugin ends with exit 127 when its guess was declined at a terminal.
    if ((err as {oclif?: {exit?: number}}).oclif?.exit === 127) {
      return reportUsage({message: `unknown command \`${argv[0] ?? ''}\``, hint: `\`${config.bin} help\` lists the commands`}, argv)
    }
    if (isUsageError(err)) return reportUsage(describeUsageError(err as Error, undefined, config.bin), argv)
    await handle(err as Error)
  }
}

/**
 * What oclif would report as "command not found" before any command runs: a word that names
 * neither a command nor a topic, or a word too many after a command that takes no arguments.
 */
export function commandLineProblem(config: Config, argv: readonly string[]): UsageProblem | undefined {
  const words: string[] = []
  for (const a of argv) {
    if (a.startsWith('-')) break
    words.push(a)
  }
  if (words.length === 0) {
    // `mcfed --json`: oclif would look for a command named like the flag.
    const rootFlags = new Set(['--help', '-h', '--version', '-v'])
    if (argv.length === 0 || argv.some((a) => rootFlags.has(a))) return undefined
    return {message: `no command given before ${argv[0]}`, hint: `e.g. \`${config.bin} plan ${argv.join(' ')}\`; \`${config.bin} help\` lists the commands`}
  }
  const command = config.findCommand(words[0]!) ?? (words.length > 1 ? config.findCommand(`${words[0]}:${words[1]}`) : undefined)
  if (command) {
    const used = command.id.split(':').length
    const extra = words.slice(used + Object.keys(command.args ?? {}).length)
    if (extra.length === 0 || command.strict === false) return undefined
    return {message: `unexpected argument \`${extra[0]}\``, hint: `see \`${config.bin} ${command.id.replaceAll(':', ' ')} --help\``}
  }
  // `mcfed sandbox` alone shows the topic's help; `mcfed sandbox upp` is a typo.
  if (config.findTopic(words[0]!) && words.length === 1) return undefined
  const id = config.findTopic(words[0]!) ? `${words[0]}:${words[1]}` : words[0]!
  return unknownCommandProblem(id, visibleCommands(config), config.bin)
}

function visibleCommands(config: Config): string[] {
  return config.commands.filter((c) => !c.hidden).map((c) => c.id)
}
