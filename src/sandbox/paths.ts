import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** Where the sandbox keeps its state and its pid file; MCFED_SANDBOX_DIR moves it (tests, CI). */
export function sandboxDir(): string {
  return process.env.MCFED_SANDBOX_DIR || join(homedir(), '.mcfed', 'sandbox')
}

export interface SandboxInfo {
  readonly pid: number
  readonly started_at: string
  readonly gcp: {readonly endpoint: string}
  readonly state_file: string
  readonly log_file: string
  /** Present once clusters with real API servers exist. */
  readonly kubeconfig: string | null
  /** Whether the sandbox runs Linkerd's controllers for the pods that describe them. */
  readonly linkerd_controllers?: boolean
}

export function sandboxInfoPath(dir = sandboxDir()): string {
  return join(dir, 'sandbox.json')
}

export function readSandboxInfo(dir = sandboxDir()): SandboxInfo | undefined {
  const path = sandboxInfoPath(dir)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SandboxInfo
  } catch {
    return undefined
  }
}
