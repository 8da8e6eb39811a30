import {spawn, spawnSync, type ChildProcess} from 'node:child_process'

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The test runner's environment without the variables that decide colour, which tests set themselves. */
export function plainEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const {NO_COLOR: _n, FORCE_COLOR: _f, ...rest} = process.env
  return {...rest, ...env}
}

/** Runs the built CLI (bin/run.js → dist/) exactly as a user would; `input` is its standard input. */
export function mcfed(args: readonly string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], {encoding: 'utf8', env: plainEnv(env), timeout: 60_000, input})
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}

/**
 * The same, asynchronously: a test can run invocations side by side, a server running inside the
 * test process (the simulator) keeps answering while the CLI talks to it, and the test worker's
 * event loop keeps turning (a file of only synchronous spawns starves vitest's RPC past its 60 s timeout).
 */
export function mcfedAsync(args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return startMcfed(args, env, input).result
}

export function startMcfed(args: readonly string[], env: Record<string, string> = {}, input?: string): {child: ChildProcess; result: Promise<CliResult>; output: () => string} {
  const child = spawn(process.execPath, ['bin/run.js', ...args], {env: plainEnv(env)})
  // Standard input is closed (or holds `input`), as in CI: the CLI never waits on it.
  child.stdin!.end(input)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({code: code ?? (signal ? 128 : -1), stdout, stderr}))
  })
  return {child, result, output: () => stdout}
}

/** Maps over items with at most `limit` promises in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return out
}

export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m
