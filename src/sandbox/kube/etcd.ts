import type {ChildProcess} from 'node:child_process'
import {mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {forgetProcesses, reapOrphans, recordProcesses} from './orphans.js'
import {freePort} from './ports.js'
import {spawnLogged, terminate} from './processes.js'

/** An etcd on 127.0.0.1: one cluster's own, or one shared by many API servers under distinct prefixes. */
export interface Etcd {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly pid: number
  readonly process: ChildProcess
  stop(options?: {keepData?: boolean}): Promise<void>
}

/**
 * Starts etcd in `dataDir`. A sandbox store: durability across power loss buys nothing here, and
 * fsync costs seconds. etcd's readiness is the API server's to wait for (it retries until etcd answers).
 */
export async function startEtcd(o: {name: string; binDir: string; dataDir: string}): Promise<Etcd> {
  mkdirSync(o.dataDir, {recursive: true})
  const [client, peer] = await Promise.all([freePort(), freePort()])
  const etcd = spawnLogged(o.dataDir, 'etcd', join(o.binDir, 'etcd'), [
    `--name=${o.name}`,
    `--data-dir=${join(o.dataDir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${client}`,
    `--advertise-client-urls=http://127.0.0.1:${client}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=${o.name}=http://127.0.0.1:${peer}`,
    '--log-level=warn',
    '--unsafe-no-fsync',
  ])
  return {
    url: `http://127.0.0.1:${client}`,
    pid: etcd.pid!,
    process: etcd,
    stop: async (options = {}) => {
      await terminate(etcd)
      if (!options.keepData) rmSync(join(o.dataDir, 'etcd'), {recursive: true, force: true})
    },
  }
}

/**
 * One etcd for a whole fleet of sandbox clusters, each API server under its own `--etcd-prefix`:
 * 30 clusters cost one etcd (~45 MB) instead of 30. Its directory records the process, so a
 * killed owner's etcd is reaped by the next start there.
 */
export async function startSharedEtcd(o: {binDir: string; dataDir: string}): Promise<Etcd> {
  mkdirSync(o.dataDir, {recursive: true})
  await reapOrphans(o.dataDir)
  const etcd = await startEtcd({name: 'shared', ...o})
  recordProcesses(o.dataDir, [etcd.pid])
  return {
    ...etcd,
    stop: async (options = {}) => {
      await etcd.stop(options)
      forgetProcesses(o.dataDir)
    },
  }
}
