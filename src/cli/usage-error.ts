import {Errors} from '@oclif/core'

import {closest} from '../util/suggest.js'
import {EXIT} from './exit-codes.js'

/**
 * A mistake on the command line rather than in the spec or the estate. Terraform exits 1 for these;
 * mcfed does too, because exit 2 means "changes present" to `plan --detailed-exitcode` and `drift`.
 */
export interface UsageProblem {
  readonly message: string
  readonly hint: string
}

interface ParseFailure {
  readonly message: string
  readonly flags?: readonly string[]
  readonly args?: readonly {name: string}[]
  readonly parse?: {input?: {flags?: Record<string, {char?: string}>}}
}

/** oclif's parser errors carry `parse`; its other CLIErrors that exit 2 are usage errors too. */
export function isUsageError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  return 'parse' in err || ((err as Errors.CLIError).oclif?.exit === 2 && err.name !== 'UserError')
}

/** One line, a suggestion where one exists, and never oclif's dump of its configuration. */
export function describeUsageError(err: Error & ParseFailure, command: string | undefined, bin = 'mcfed'): UsageProblem {
  const help = command ? `\`${bin} ${command.replaceAll(':', ' ')} --help\`` : `\`${bin} --help\``
  const known = Object.entries(err.parse?.input?.flags ?? {}).flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])])
  const unknown = err.flags?.[0]
  if (unknown) {
    const guess = closest(unknown.split('=')[0]!, known)
    return {message: `unknown flag ${unknown}`, hint: `${guess ? `did you mean ${guess}? ` : ''}see ${help}`}
  }
  const missing = err.args?.map((a) => a.name.toUpperCase())
  if (missing && missing.length > 0 && /^Missing/.test(err.message)) {
    return {message: `missing argument ${missing.join(' ')}`, hint: `see ${help}`}
  }
  return {message: firstLine(err.message), hint: `see ${help}`}
}

export function unknownCommandProblem(id: string, commands: readonly string[], bin = 'mcfed'): UsageProblem {
  const typed = id.replaceAll(':', ' ')
  const guess = closest(id, commands)
  return {
    message: `unknown command \`${typed}\``,
    hint: `${guess ? `did you mean \`${bin} ${guess.replaceAll(':', ' ')}\`? ` : ''}\`${bin} help\` lists the commands`,
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}

/** On stderr as `Error:` and `hint:`, or with --json as a small JSON error on stdout; exit 1. */
export function reportUsage(problem: UsageProblem, argv: readonly string[]): void {
  if (argv.includes('--json')) process.stdout.write(JSON.stringify({error: {kind: 'usage', ...problem}}, null, 2) + '\n')
  else process.stderr.write(`Error: ${problem.message}\n  hint: ${problem.hint}\n`)
  process.exitCode = EXIT.error
}
