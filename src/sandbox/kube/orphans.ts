import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {isAlive} from '../../util/process.js'

/**
 * etcd and kube-apiserver run detached, so a launcher that is SIGKILLed (a killed test run, a
 * killed sandbox daemon) leaves them running, holding ports and the etcd data directory. Each
 * data directory records who started its servers; the next start in it, or a sweep, stops the
 * ones whose owner is gone.
 */
const FILE = 'processes.json'

interface ProcessRecord {
  readonly owner: number
  readonly pids: readonly number[]
}

export function recordProcesses(dataDir: string, pids: readonly number[]): void {
  const record: ProcessRecord = {owner: process.pid, pids}
  writeFileSync(join(dataDir, FILE), JSON.stringify(record))
}

export function forgetProcesses(dataDir: string): void {
  rmSync(join(dataDir, FILE), {force: true})
}

/** True when `dataDir` has servers whose owner still runs (so it must be left alone). */
export function ownerAlive(dataDir: string): boolean {
  const record = read(dataDir)
  return record !== undefined && isAlive(record.owner)
}

/**
 * Stops the servers recorded in `dataDir` if their owner is dead; returns how many it stopped.
 * A pid counts only while its command line still names `dataDir`, so a reused pid is never hit.
 */
export async function reapOrphans(dataDir: string, graceMs = 5_000): Promise<number> {
  // Linkerd's controllers keep their own record beside the cluster's (they come and go with pods).
  const nested = existsSync(join(dataDir, 'linkerd')) ? await reapOrphans(join(dataDir, 'linkerd'), graceMs) : 0
  return nested + (await reapOwn(dataDir, graceMs))
}

async function reapOwn(dataDir: string, graceMs: number): Promise<number> {
  const record = read(dataDir)
  if (!record || isAlive(record.owner)) return 0
  const runsHere = (pid: number) => commandLine(pid).includes(dataDir)
  const orphans = record.pids.filter(runsHere)
  for (const pid of orphans) signal(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (orphans.some(runsHere) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  for (const pid of orphans.filter(runsHere)) signal(pid, 'SIGKILL')
  forgetProcesses(dataDir)
  return orphans.length
}

function read(dataDir: string): ProcessRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as ProcessRecord
  } catch {
    return undefined
  }
}

/** The process's arguments joined by spaces; empty once it has exited (or is a zombie). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return ''
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}
