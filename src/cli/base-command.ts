import {Command, Flags, type Interfaces} from '@oclif/core'

import {isProviderError, isUserError} from '../diagnostics/errors.js'
import {colorWanted} from '../render/style.js'
import {EXIT} from './exit-codes.js'
import {writeChunks} from '../util/write-chunks.js'
import {logHttpCalls} from '../log/http-log.js'
import {isLogLevel, LOG_LEVELS, setLogLevel} from '../log/logger.js'
import {describeUsageError, isUsageError, reportUsage} from './usage-error.js'

/**
 * Shared flags and error handling. Commands return a typed result (printed as JSON with --json)
 * and set the exit code; user and provider errors print as one actionable message, never a stack.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    color: Flags.boolean({
      description: 'colour the output even through a pipe (--no-color: never); default: colour when stdout is a terminal and NO_COLOR is unset',
      allowNo: true,
      helpGroup: 'GLOBAL',
    }),
    'log-level': Flags.string({
      description: 'log to stderr at this level: debug shows every API call (method, URL, status, duration, retries), trace adds bodies with secrets redacted',
      options: [...LOG_LEVELS],
      env: 'MCFED_LOG',
      helpGroup: 'GLOBAL',
    }),
  }

  public override async init(): Promise<void> {
    await super.init()
    const {flags} = await this.parse(this.ctor)
    const level = flags['log-level'] as string | undefined
    if (level && isLogLevel(level)) setLogLevel(level)
    logHttpCalls()
  }

  protected useColor(flags: {color?: boolean}): boolean {
    return colorWanted(flags.color)
  }

  /** Prints human output only when --json is off. */
  protected print(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text)
  }

  /** Prints pieces as they come, in writes of about 64 KB, waiting while the reader catches up. */
  protected async printChunks(chunks: Iterable<string>): Promise<void> {
    if (this.jsonEnabled()) return
    await writeChunks(process.stdout, chunks)
  }

  protected setExitCode(code: number): void {
    process.exitCode = code
  }

  protected override async catch(err: Interfaces.CommandError): Promise<unknown> {
    if (isUserError(err) || isProviderError(err)) {
      const hint = isUserError(err) ? err.hint : err.details.hint
      if (this.jsonEnabled()) {
        this.logJson({error: {message: err.message, ...(hint ? {hint} : {}), ...(isProviderError(err) ? {details: err.details} : {})}})
      } else {
        process.stderr.write(`Error: ${err.message}\n${hint ? `  hint: ${hint}\n` : ''}`)
      }
      process.exitCode = EXIT.error
      return
    }
    if (isUsageError(err)) {
      reportUsage(describeUsageError(err, this.id, this.config.bin), this.argv)
      return
    }
    if ((err as {oclif?: {exit?: number}}).oclif?.exit !== undefined || err.name === 'CLIError') return super.catch(err)
    if (process.env.MCFED_DEBUG) return super.catch(err)
    process.stderr.write(`Error: ${err.message}\n  mcfed hit an unexpected failure; rerun with MCFED_DEBUG=1 for a stack trace and report it.\n`)
    process.exitCode = EXIT.error
    return
  }
}

export const specFlag = Flags.string({
  char: 'f',
  description: 'federation spec to read',
  default: 'federation.yaml',
})
