import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {packageRoot} from '../../util/package-root.js'

const run = promisify(execFile)

/** Linkerd's own binaries of one release, or why they are not here. */
export type LinkerdBinaries =
  | {readonly ok: true; readonly release: string; readonly cli?: string; readonly controller: string}
  | {readonly ok: false; readonly release: string; readonly reason: string}

export interface BinariesLookup {
  /** Build from ../shared/linkerd-source when missing (minutes); otherwise only report. */
  readonly build?: boolean
  /** Only the controller: what the sandbox runs. */
  readonly controllerOnly?: boolean
  readonly env?: NodeJS.ProcessEnv
}

/**
 * Linkerd's CLI and controller for `release`, through tools/linkerd/binaries.sh: the one place that
 * knows where they may come from (MCFED_LINKERD_CLI, MCFED_LINKERD_CONTROLLER, PATH, or built from
 * Linkerd's source beside the checkout).
 */
export async function linkerdBinaries(release: string, o: BinariesLookup = {}): Promise<LinkerdBinaries> {
  const args = [join(packageRoot(), 'tools', 'linkerd', 'binaries.sh'), ...(o.build ? [] : ['--no-build']), ...(o.controllerOnly ? ['--controller-only'] : []), release]
  try {
    const {stdout} = await run('bash', args, {env: o.env ?? process.env, maxBuffer: 1 << 26, timeout: o.build ? 60 * 60_000 : 60_000})
    const found: Record<string, string> = {}
    for (const [, key, path] of stdout.matchAll(/^(cli|controller)=(.+)$/gm)) found[key!] = path!
    if (!found.controller) return {ok: false, release, reason: `tools/linkerd/binaries.sh printed no controller: ${stdout.trim()}`}
    return {ok: true, release, controller: found.controller, ...(found.cli ? {cli: found.cli} : {})}
  } catch (e) {
    const stderr = (e as {stderr?: string}).stderr?.trim().split('\n').filter(Boolean).pop()
    return {ok: false, release, reason: (stderr ?? (e as Error).message).replace(/^binaries\.sh: /, '')}
  }
}

/** One lookup per release for the life of the process: a sandbox asks for every pod it sees. */
export function cachedControllerLookup(env?: NodeJS.ProcessEnv): (release: string) => Promise<LinkerdBinaries> {
  const known = new Map<string, Promise<LinkerdBinaries>>()
  return (release) => {
    let found = known.get(release)
    if (!found) {
      found = linkerdBinaries(release, {controllerOnly: true, ...(env ? {env} : {})})
      known.set(release, found)
    }
    return found
  }
}
