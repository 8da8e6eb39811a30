import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {crdsEstablished, type MeshClusters} from './mesh-clusters.js'

const run = promisify(execFile)

/** The CRD files tools/gitops/crds.sh fetched from the projects' own Go modules, by project. */
export async function projectCrds(): Promise<Record<string, string[]>> {
  const {stdout} = await run('bash', ['tools/gitops/crds.sh'], {timeout: 600_000})
  const out: Record<string, string[]> = {}
  for (const line of stdout.trim().split('\n')) {
    const [project, file] = line.split('=') as [string, string]
    ;(out[project] ??= []).push(file)
  }
  return out
}

/**
 * Each cluster as a GitOps test starts it: the app team's Services applied under their own field
 * manager (the tree's label patches merge into what it owns), these CRD files, and `namespaces`.
 */
export async function prepareClusters(mesh: MeshClusters, services: string, crdFiles: readonly string[], namespaces: readonly string[] = []): Promise<void> {
  await Promise.all(
    mesh.clusters.map(async (c) => {
      await mesh.kubectl(c.name, 'apply', '--server-side', '--field-manager', 'app-team', '-f', services)
      for (const file of crdFiles) await mesh.kubectl(c.name, 'apply', '--server-side', '-f', file)
      for (const ns of namespaces) await mesh.kubectl(c.name, 'create', 'namespace', ns)
      await crdsEstablished(mesh, c.name)
    }),
  )
}
