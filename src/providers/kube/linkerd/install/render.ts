import {stringify} from 'yaml'

import {runCli} from './cli.js'
import {parseManifests, type Component, type KubeObject} from '../../../../linkerd/install/manifests.js'
import {sha256, stableStringify} from '../../../../util/stable-json.js'

const ARGS: Readonly<Record<Component, readonly string[]>> = {
  crds: ['install', '--crds', '--ignore-cluster'],
  'control-plane': ['install', '--ignore-cluster', '-f', '-'],
  multicluster: ['multicluster', 'install', '--ignore-cluster', '-f', '-'],
}

/**
 * Renders components with Linkerd's own CLI, never reading a cluster (`--ignore-cluster`); values
 * go on standard input. Renders are kept for the run, keyed by component and values, so the same
 * CRDs or extension values render once however many clusters share them.
 */
export class ComponentRenderer {
  private readonly cache = new Map<string, Promise<KubeObject[]>>()

  constructor(readonly cliPath: string) {}

  render(component: Component, values?: Record<string, unknown>): Promise<KubeObject[]> {
    const input = values ? stringify(values) : undefined
    const key = `${component}\u0000${input ? sha256(stableStringify(values)) : ''}`
    let rendered = this.cache.get(key)
    if (!rendered) {
      rendered = runCli(this.cliPath, ARGS[component], input).then(parseManifests)
      this.cache.set(key, rendered)
    }
    return rendered
  }
}
