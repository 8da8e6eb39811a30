import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {STATUS_FILE, type ControllerStatus} from './controllers.js'

/**
 * Linkerd's controllers a running sandbox runs, read from the status file each cluster's supervisor
 * keeps (the sandbox is another process): every cluster's, sorted by cluster, namespace and pod.
 */
export function sandboxControllers(dir: string): ControllerStatus[] {
  const clusters = join(dir, 'clusters')
  if (!existsSync(clusters)) return []
  return readdirSync(clusters)
    .flatMap((cluster) => {
      try {
        return JSON.parse(readFileSync(join(clusters, cluster, 'linkerd', STATUS_FILE), 'utf8')) as ControllerStatus[]
      } catch {
        return []
      }
    })
    .sort((a, b) => `${a.cluster}/${a.namespace}/${a.pod}`.localeCompare(`${b.cluster}/${b.namespace}/${b.pod}`))
}

/** A table for `sandbox status`, and one line per release whose controller is missing. */
export function controllersTable(controllers: readonly ControllerStatus[]): string {
  if (controllers.length === 0) return "Linkerd's controllers: none yet (they start with the pods of an installed control plane and multicluster extension).\n"
  const rows = controllers.map((c) => [c.cluster, `${c.namespace}/${c.pod}`, c.container, c.release, c.state, c.pid ? String(c.pid) : '-', String(c.restarts), c.log])
  const head = ['CLUSTER', 'POD', 'CONTAINER', 'RELEASE', 'STATE', 'PID', 'RESTARTS', 'LOG']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')
  const missing = [...new Map(controllers.filter((c) => c.state === 'no-binary').map((c) => [c.release, c.reason ?? ''])).entries()]
  return [
    "Linkerd's controllers (Linkerd's own binaries, one process per controller container of a running pod):",
    line(head),
    ...rows.map(line),
    ...missing.map(([release, reason]) => `\nNot running Linkerd ${release}'s controllers: ${reason}`),
    '',
  ].join('\n')
}
