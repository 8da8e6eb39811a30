import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {UserError} from '../../diagnostics/errors.js'
import {packageRoot} from '../../util/package-root.js'

const run = promisify(execFile)

/**
 * The directory holding kube-apiserver and etcd: MCFED_KUBE_BIN if set, else the cache that
 * tools/kube/build.sh fills (building on first use: minutes once, then instant).
 */
export async function kubeBinaries(): Promise<string> {
  const explicit = process.env.MCFED_KUBE_BIN
  if (explicit) {
    if (!existsSync(join(explicit, 'kube-apiserver')) || !existsSync(join(explicit, 'etcd'))) {
      throw new UserError(`MCFED_KUBE_BIN=${explicit} has no kube-apiserver and etcd`, 'unset it to build them with tools/kube/build.sh')
    }
    return explicit
  }
  try {
    const {stdout} = await run('bash', [join(packageRoot(), 'tools', 'kube', 'build.sh')], {maxBuffer: 1 << 26, timeout: 60 * 60_000})
    return stdout.trim().split('\n').pop()!
  } catch (e) {
    throw new UserError(`building kube-apiserver and etcd failed: ${(e as {stderr?: string}).stderr?.split('\n').slice(-5).join(' ') ?? (e as Error).message}`, 'it needs Go and the Go module proxy; run tools/kube/build.sh by hand to see the whole log')
  }
}
