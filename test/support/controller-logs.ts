import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

/**
 * Whether a Linkerd controller's log line says an API server refused it. A bare "401" is not
 * enough: ports, durations and the resourceVersions in the object dumps the controllers log at
 * info level hold those digits too, so the code counts only after "status" or "code".
 */
export function isRefusal(line: string): boolean {
  return /Unauthorized|forbidden|provide credentials|\b(status|code)\s*:?\s*401\b/i.test(line)
}

/** Every refusal in the logs of the Linkerd controllers a sandbox cluster runs, named by file. */
export function refusalsIn(cluster: {name: string; dataDir: string}): string[] {
  const dir = join(cluster.dataDir, 'linkerd')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter(isRefusal)
        .map((l) => `${cluster.name}/${f}: ${l.slice(0, 300)}`),
    )
}
