import {spawn} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, isAbsolute, join, resolve} from 'node:path'

import {describeVersion, edgeRelease, sameRelease} from '../../../../linkerd/versions.js'

/** Where the `linkerd` CLI was looked for and what it said: the inputs of one clear message. */
export type LinkerdCli =
  | {readonly ok: true; readonly path: string; readonly version: string}
  | {readonly ok: false; readonly needed: string; readonly found?: string; readonly where: string; readonly problem: string}

export interface CliLookup {
  /** `--linkerd-cli PATH`. */
  readonly flag?: string
  readonly env?: NodeJS.ProcessEnv
}

/** Renders are large (the CRDs are ~0.5 MB) but bounded; a runaway CLI must not fill memory. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024
const TIMEOUT_MS = 60_000

/**
 * Finds the CLI (flag, then MCFED_LINKERD_CLI, then PATH) and checks that it is the release the spec
 * pins: a render from another release would plan an upgrade or downgrade nobody asked for.
 */
export async function findLinkerdCli(specVersion: string, lookup: CliLookup = {}): Promise<LinkerdCli> {
  const env = lookup.env ?? process.env
  const needed = describeVersion(specVersion)
  const chosen = lookup.flag ? {path: resolve(lookup.flag), where: `--linkerd-cli ${lookup.flag}`} : env.MCFED_LINKERD_CLI ? {path: resolve(env.MCFED_LINKERD_CLI), where: `MCFED_LINKERD_CLI=${env.MCFED_LINKERD_CLI}`} : onPath(env.PATH ?? '')
  if (!chosen) return {ok: false, needed, where: 'PATH', problem: 'no `linkerd` executable on PATH'}
  if (!executable(chosen.path)) return {ok: false, needed, where: chosen.where, problem: `${chosen.path} is not an executable file`}
  let printed: string
  try {
    printed = (await runCli(chosen.path, ['version', '--client', '--short'])).trim()
  } catch (e) {
    return {ok: false, needed, where: chosen.where, problem: `\`${chosen.path} version --client --short\` failed: ${(e as Error).message}`}
  }
  const found = /edge-\d+\.\d+\.\d+|stable-\S+|\d+\.\d+\.\d+/.exec(printed)?.[0] ?? printed
  if (!edgeRelease(specVersion)) return {ok: false, needed, found, where: chosen.where, problem: `spec.linkerd.version ${specVersion} names no release mcfed knows`}
  if (!sameRelease(specVersion, printed)) return {ok: false, needed, found, where: chosen.where, problem: `${chosen.path} is ${found}`}
  return {ok: true, path: chosen.path, version: edgeRelease(specVersion)!}
}

/** One line for plans and errors: what is needed, what was found where, and how to fix it. */
export function cliProblem(cli: Extract<LinkerdCli, {ok: false}>): string {
  return `the linkerd CLI ${cli.needed} is needed to render Linkerd's manifests, but ${cli.problem} (looked at ${cli.where})`
}

/** Runs the CLI with values on standard input (never a file: they hold an issuer key) and returns what it printed. */
export function runCli(path: string, args: readonly string[], stdin?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(path, args, {stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS})
    const out: Buffer[] = []
    const err: Buffer[] = []
    let size = 0
    child.stdout.on('data', (b: Buffer) => {
      size += b.length
      if (size > MAX_OUTPUT_BYTES) child.kill('SIGKILL')
      else out.push(b)
    })
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise(Buffer.concat(out).toString('utf8'))
      const stderr = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' / ')
      reject(new Error(`\`linkerd ${args.join(' ')}\` exited ${code ?? signal}${stderr ? `: ${stderr}` : ''}`))
    })
    child.stdin.on('error', () => {})
    child.stdin.end(stdin ?? '')
  })
}

function onPath(path: string): {path: string; where: string} | undefined {
  for (const dir of path.split(delimiter).filter((d) => d && isAbsolute(d))) {
    const candidate = join(dir, 'linkerd')
    if (executable(candidate)) return {path: candidate, where: 'PATH'}
  }
  return undefined
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
