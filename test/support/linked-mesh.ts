import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'vitest'

import {parseSpec} from '../../src/spec/parse.js'
import {mcfedAsync} from './cli.js'
import {installLinkerdExternally, startMeshClusters, type MeshClusters} from './mesh-clusters.js'
import {SEED_MIRRORS, waitForMirrors} from './mirrors.js'

export interface LinkedMesh {
  readonly mesh: MeshClusters
  /** The three-region spec with kubeContext clusters and `install: external`. */
  readonly spec: string
  readonly work: string
}

/**
 * The three-region example on a test file's own API servers, Linkerd installed from its own CLI's
 * renders as an external installer would, the demo app's Services (and with `workloads`, the
 * Deployments behind them) and the Links mcfed applies, once every seed mirror exists.
 */
export async function linkedMesh(binDir: string, prefix: string, o: {cli: string; workloads?: boolean}): Promise<LinkedMesh> {
  const mesh = await startMeshClusters(binDir, prefix, {linkerd: true})
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  const spec = join(work, 'federation.yaml')
  const text = readFileSync('examples/three-region/federation.yaml', 'utf8')
    .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
    .replace('version: "2.18"', 'version: "2.19"\n    install: external')
  writeFileSync(spec, text)
  const env = {KUBECONFIG: mesh.kubeconfig}
  expect((await mcfedAsync(['certs', 'init', '-f', spec], env)).code).toBe(0)
  await installLinkerdExternally(mesh, {cli: o.cli, spec: parseSpec(spec, text, {}).spec!, anchorPem: readFileSync(join(work, 'certs', 'root.crt'), 'utf8')})
  await Promise.all(
    mesh.clusters.map(async (c) => {
      await mesh.kubectl(c.name, 'apply', '-f', 'examples/three-region/services.yaml')
      if (o.workloads) await mesh.kubectl(c.name, 'apply', '-f', `examples/three-region/app/${c.name}.yaml`)
    }),
  )
  const applied = await mcfedAsync(['apply', '-f', spec, '--auto-approve', '--layer', 'kube'], env)
  expect(applied.code, applied.stdout + applied.stderr).toBe(0)
  await waitForMirrors(mesh, SEED_MIRRORS)
  return {mesh, spec, work}
}
