import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, describe, expect, test} from 'vitest'

import {isAlive} from '../../../../src/util/process.js'
import {ownerAlive, reapOrphans, recordProcesses} from '../../../../src/sandbox/kube/orphans.js'

const dirs: string[] = []
const pids: number[] = []
afterEach(() => {
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

/** A stand-in for etcd: a detached process whose command line names the data directory, as theirs do. */
async function server(dataDir: string): Promise<{pid: number; exited: Promise<unknown>}> {
  const child = spawn(process.execPath, ['-e', 'console.log("up"); setTimeout(() => {}, 300_000)', '--', `--data-dir=${dataDir}`], {detached: true, stdio: ['ignore', 'pipe', 'ignore']})
  pids.push(child.pid!)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  // Until it has started, /proc shows the command line of this process it was forked from.
  await new Promise((resolve) => child.stdout!.once('data', resolve))
  return {pid: child.pid!, exited}
}

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mcfed-orphans-'))
  dirs.push(d)
  return d
}

const deadPid = () => spawnSync('true').pid!

describe('servers left behind by a killed launcher', () => {
  test('are stopped when their owner is gone, and the record is dropped', async () => {
    const d = dataDir()
    const {pid, exited} = await server(d)
    writeFileSync(join(d, 'processes.json'), JSON.stringify({owner: deadPid(), pids: [pid]}))
    expect(ownerAlive(d)).toBe(false)
    expect(await reapOrphans(d)).toBe(1)
    await exited
    expect(existsSync(join(d, 'processes.json'))).toBe(false)
  })

  test('are left alone while their owner runs', async () => {
    const d = dataDir()
    const {pid} = await server(d)
    recordProcesses(d, [pid])
    expect(ownerAlive(d)).toBe(true)
    expect(await reapOrphans(d)).toBe(0)
    expect(isAlive(pid)).toBe(true)
  })

  test('a recorded pid now used by an unrelated process is never signalled', async () => {
    const d = dataDir()
    const {pid: unrelated} = await server(dataDir())
    writeFileSync(join(d, 'processes.json'), JSON.stringify({owner: deadPid(), pids: [unrelated]}))
    expect(await reapOrphans(d)).toBe(0)
    expect(isAlive(unrelated)).toBe(true)
  })
})
