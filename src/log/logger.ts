/**
 * mcfed's log: leveled lines on stderr, so stdout stays the command's result. The level comes from
 * `--log-level` or MCFED_LOG; nothing below `warn` is written unless asked for.
 */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

let threshold = LOG_LEVELS.indexOf('warn')
let write: (line: string) => void = (line) => process.stderr.write(line + '\n')

export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level)
}

/** Where lines go; tests capture them. */
export function setLogSink(sink: (line: string) => void): void {
  write = sink
}

export function logEnabled(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= threshold
}

/** Writes one line: `mcfed debug: message`. Callers redact what they pass. */
export function log(level: LogLevel, message: string): void {
  if (logEnabled(level)) write(`mcfed ${level}: ${message}`)
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}
