import {spawn} from 'node:child_process'
import {mkdirSync, openSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {UserError} from '../diagnostics/errors.js'
import {isAlive} from '../util/process.js'
import {readSandboxInfo, sandboxDir, type SandboxInfo} from './paths.js'

/** Starts the sandbox in the background, or returns the one already running. */
export async function sandboxUp(options: {port?: number; kubeBin?: string; linkerd?: boolean} = {}): Promise<{info: SandboxInfo; started: boolean}> {
  const dir = sandboxDir()
  const running = readSandboxInfo(dir)
  if (running && isAlive(running.pid) && (await healthy(running.gcp.endpoint))) return {info: running, started: false}
  mkdirSync(dir, {recursive: true})
  rmSync(join(dir, 'sandbox.json'), {force: true})
  const log = openSync(join(dir, 'sandbox.log'), 'a')
  const main = fileURLToPath(new URL('./main.js', import.meta.url))
  const args = [main, '--dir', dir, '--port', String(options.port ?? 0), ...(options.kubeBin ? ['--kube-bin', options.kubeBin] : []), ...(options.linkerd ? ['--linkerd'] : [])]
  const child = spawn(process.execPath, args, {detached: true, stdio: ['ignore', log, log]})
  child.unref()
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const info = readSandboxInfo(dir)
    if (info && info.pid === child.pid && (await healthy(info.gcp.endpoint))) return {info, started: true}
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new UserError(`the sandbox did not start; see ${join(dir, 'sandbox.log')}`)
}

export async function sandboxDown(purge: boolean): Promise<boolean> {
  const dir = sandboxDir()
  const info = readSandboxInfo(dir)
  let stopped = false
  if (info && isAlive(info.pid)) {
    process.kill(info.pid, 'SIGTERM')
    const deadline = Date.now() + 10_000
    while (isAlive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (isAlive(info.pid)) process.kill(info.pid, 'SIGKILL')
    stopped = true
  }
  rmSync(join(dir, 'sandbox.json'), {force: true})
  if (purge) rmSync(dir, {recursive: true, force: true})
  return stopped
}

export function sandboxStatus(): SandboxInfo | undefined {
  const info = readSandboxInfo()
  return info && isAlive(info.pid) ? info : undefined
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(`${endpoint}/__admin/health`, {signal: AbortSignal.timeout(1_000)})
    return r.ok
  } catch {
    return false
  }
}

/** How to point mcfed, gcloud and (later) kubectl at the sandbox. */
export function sandboxInstructions(info: SandboxInfo): string {
  return [
    `GCP API simulator: ${info.gcp.endpoint}  (state: ${info.state_file})`,
    '',
    'mcfed:   pass --sandbox to plan, apply, drift and destroy (or export MCFED_SANDBOX=1)',
    'gcloud:  point it at the simulator in a throwaway configuration:',
    '           gcloud config configurations create mcfed-sandbox',
    `           gcloud config set api_endpoint_overrides/compute ${info.gcp.endpoint}/compute/v1/`,
    `           gcloud config set api_endpoint_overrides/container ${info.gcp.endpoint}/`,
    '           gcloud config set auth/disable_credentials true',
    '           gcloud config set project my-project',
    info.kubeconfig ? `kubectl: export KUBECONFIG=${info.kubeconfig}   (one context per cluster: kubectl --context west get ns)` : 'kubectl: started without --kube; clusters get no API server',
    info.linkerd_controllers
      ? "linkerd: Linkerd's own destination and service-mirror controllers run as local processes for the pods that describe them (`mcfed sandbox status` lists them)"
      : "linkerd: started without Linkerd's controllers (--no-linkerd): nothing is mirrored",
    '',
  ].join('\n')
}
