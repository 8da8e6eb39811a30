import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {POD_DELETED_MARK} from '../../src/sandbox/linkerd/controllers.js'

/**
 * Whether a Linkerd controller's log line says an API server refused it. A bare "401" is not
 * enough: ports, durations and the resourceVersions in the object dumps the controllers log at
 * info level hold those digits too, so the code counts only after "status" or "code".
 */
export function isRefusal(line: string): boolean {
  return /Unauthorized|forbidden|provide credentials|\b(status|code)\s*:?\s*401\b/i.test(line)
}

/**
 * Every refusal in the logs of the Linkerd controllers a sandbox cluster runs, named by file. A
 * line logged once its pod was deleted is not counted: the process is on its way out then (the
 * sandbox's token for it lives until it has stopped, but a process killed after its grace, or its
 * namespace deleted with it, may still be refused on the way).
 */
export function refusalsIn(cluster: {name: string; dataDir: string}): string[] {
  const dir = join(cluster.dataDir, 'linkerd')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) => {
      const lines = readFileSync(join(dir, f), 'utf8').split('\n')
      const deleted = lines.flatMap((l) => (l.startsWith(POD_DELETED_MARK) ? [Date.parse(l.slice(POD_DELETED_MARK.length).trim())] : []))[0]
      // Linkerd's controllers log times to the second.
      const afterDeletion = (l: string) => {
        const at = Date.parse(/time="([^"]+)"/.exec(l)?.[1] ?? '')
        return deleted !== undefined && Number.isFinite(at) && at >= Math.floor(deleted / 1000) * 1000
      }
      return lines.filter((l) => isRefusal(l) && !afterDeletion(l)).map((l) => `${cluster.name}/${f}: ${l.slice(0, 300)}`)
    })
}
