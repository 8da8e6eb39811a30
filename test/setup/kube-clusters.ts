import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {TestProject} from 'vitest/node'

import {kubeBinaries} from '../../src/sandbox/kube/binaries.js'
import {kubeconfig} from '../../src/sandbox/kube/kubeconfig.js'
import {startKubeCluster, type KubeCluster} from '../../src/sandbox/kube/launcher.js'
import {ownerAlive, reapOrphans} from '../../src/sandbox/kube/orphans.js'

/**
 * Starts three real API servers (west, east, north) once per test run; tests isolate by namespace.
 * The first run on a machine builds kube-apiserver and etcd from Go modules (tools/kube/build.sh).
 */
const PREFIX = 'mcfed-kube-'
let clusters: KubeCluster[] = []
let dir = ''

export async function setup(project: TestProject): Promise<void> {
  const binDir = await kubeBinaries()
  await sweepKilledRuns()
  dir = mkdtempSync(join(tmpdir(), PREFIX))
  clusters = await Promise.all(['west', 'east', 'north'].map((name) => startKubeCluster({name, binDir, dataDir: join(dir, name)})))
  const path = join(dir, 'kubeconfig')
  writeFileSync(path, kubeconfig(clusters), {mode: 0o600})
  project.provide('kubeconfig', path)
  project.provide('kubeBin', binDir)
}

export async function teardown(): Promise<void> {
  await Promise.all(clusters.map((c) => c.stop()))
  rmSync(dir, {recursive: true, force: true})
}

/** Servers left by an earlier run that was killed before its teardown (a live run is left alone). */
async function sweepKilledRuns(): Promise<void> {
  const runs = readdirSync(tmpdir()).filter((d) => d.startsWith(PREFIX)).map((d) => join(tmpdir(), d))
  for (const run of runs) {
    const clusterDirs = readdirSync(run, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => join(run, e.name))
    if (clusterDirs.some(ownerAlive)) continue
    await Promise.all(clusterDirs.map((d) => reapOrphans(d)))
    rmSync(run, {recursive: true, force: true})
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string
    kubeBin: string
  }
}
