import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

/**
 * Whether a Linkerd controller's log line says an API server refused it. The status code must
 * stand alone: ports and durations in the same logs contain "401" as digits (127.0.0.1:34013).
 */
export function isRefusal(line: string): boolean {
  return /Unauthorized|forbidden|(?<![\d.:])401(?!\d)/.test(line)
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
