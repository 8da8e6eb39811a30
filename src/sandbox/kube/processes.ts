import {spawn, type ChildProcess} from 'node:child_process'
import {openSync} from 'node:fs'
import {Agent, request} from 'node:https'
import {join} from 'node:path'

/**
 * Starts a server of a sandbox cluster detached (so that it outlives nothing it should not: the
 * orphan records stop it when its owner dies), its output appended to `<dir>/<name>.log`.
 */
export function spawnLogged(dir: string, name: string, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess {
  const log = openSync(join(dir, `${name}.log`), 'a')
  return spawn(command, args, {stdio: ['ignore', log, log], detached: true, ...(env ? {env} : {})})
}

/** SIGTERM, then SIGKILL after `graceMs`: a server gets the chance to release what it holds (a Lease). */
export function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Polls `path` on the API server until it answers 200; fails early when one of `children` exits. */
export async function waitReady(server: string, ca: string, token: string, timeoutMs: number, children: readonly ChildProcess[], path = '/readyz'): Promise<void> {
  const agent = new Agent({ca, keepAlive: false})
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null)
    if (dead) throw new Error(`${dead.spawnfile} exited with ${dead.exitCode}`)
    last = await new Promise<string>((resolve) => {
      const req = request(`${server}${path}`, {agent, headers: {authorization: `Bearer ${token}`}, timeout: 2_000}, (res) => {
        res.resume()
        resolve(String(res.statusCode))
      })
      req.on('error', (e) => resolve(e.message))
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.end()
    })
    if (last === '200') return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${path} not ready after ${Math.round(timeoutMs / 1000)}s (last answer: ${last})`)
}
