import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, test} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {renderGitops} from '../../../src/engine/render-gitops.js'
import {diffTrees, scopeOf} from '../../../src/gitops/tree-diff.js'
import type {Tree} from '../../../src/gitops/tree.js'
import {createTrustAnchor} from '../../../src/providers/certs/trust-anchor.js'
import {loadValidSpec} from '../../support/specs.js'

const EXAMPLE = 'examples/gitops/federation.yaml'

let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcfed-gitops-'))
  cpSync(EXAMPLE, join(dir, 'federation.yaml'))
  await createTrustAnchor(join(dir, 'certs/root.crt'), join(dir, 'certs/root.key'), false)
})

async function render(text?: (t: string) => string): Promise<Tree> {
  const file = join(dir, 'federation.yaml')
  writeFileSync(file, (text ?? ((t) => t))(readFileSync(EXAMPLE, 'utf8')))
  return (await renderGitops({file, spec: loadValidSpec(file)})).files
}

const objects = (tree: Tree) =>
  [...tree.entries()].flatMap(([path, text]) => parseAllDocuments(text).map((d) => ({path, o: d.toJS() as {kind: string; metadata: {name: string; namespace?: string}; spec?: Record<string, unknown>}})))

describe('render of the GitOps example', () => {
  test('two renders are byte-identical, files in path order', async () => {
    const a = await render()
    const b = await render()
    expect([...a.entries()]).toEqual([...b.entries()])
    expect([...a.keys()]).toEqual([...a.keys()].sort())
  })

  test('no private key, token, JWT or kubeconfig credential in any file', async () => {
    const tree = await render()
    for (const [path, text] of tree) {
      expect(text, path).not.toMatch(/PRIVATE KEY/)
      expect(text, path).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./)
      expect(text, path).not.toMatch(/^\s*(token|client-key-data|password):/m)
      for (const {o} of objects(new Map([[path, text]]))) expect(o.kind, `${path}: ${o.metadata?.name}`).not.toBe('Secret')
    }
  })

  test('each flat Link names a generation an ExternalSecret makes, and the destination copy comes from the same store secret', async () => {
    const all = objects(await render())
    const links = all.filter(({o}) => o.kind === 'Link')
    // Six flat links: the two gateway links wait for their target gateway's address (offline).
    expect(links.map(({path, o}) => `${path.split('/')[1]}/${o.metadata.name}`).sort()).toEqual(['east/north', 'east/west', 'north/east', 'north/west', 'west/east', 'west/north'])
    for (const {path, o} of links) {
      const cluster = path.split('/')[1]
      const secrets = all.filter(({path: p, o: e}) => p.startsWith(`clusters/${cluster}/`) && e.kind === 'ExternalSecret')
      const generation = secrets.find(({o: e}) => e.metadata.name === o.spec!.clusterCredentialsSecret)
      expect(generation?.o.metadata.namespace).toBe('linkerd-multicluster')
      const copy = secrets.find(({o: e}) => e.metadata.name === `cluster-credentials-${o.metadata.name}` && e.metadata.namespace === 'linkerd')
      expect(JSON.stringify((copy!.o.spec as {data: unknown}).data)).toBe(JSON.stringify((generation!.o.spec as {data: unknown}).data))
    }
  })

  test('each link target holds the link\'s ServiceAccount, ClusterRole and binding', async () => {
    const all = objects(await render())
    const accounts = all.filter(({o}) => o.kind === 'ServiceAccount').map(({path, o}) => `${path.split('/')[1]}:${o.metadata.name}`)
    expect(accounts).toContain('east:mcfed-link-west-east')
    expect(accounts).toHaveLength(8)
    for (const kind of ['ClusterRole', 'ClusterRoleBinding']) expect(all.filter(({o}) => o.kind === kind).map(({path, o}) => `${path.split('/')[1]}:${o.metadata.name}`).sort()).toEqual([...accounts].sort())
  })

  test('a service renamed re-renders only the clusters it runs in', async () => {
    const before = await render()
    const after = await render((t) => t.replace('    analytics:', '    reports:'))
    const changes = diffTrees(before, after)
    expect(changes.length).toBeGreaterThan(0)
    expect(new Set(changes.map((c) => scopeOf(c.path)))).toEqual(new Set(['east']))
    expect(changes.map((c) => [c.action, c.from ?? null, c.path])).toEqual([
      ['update', null, 'clusters/east/services/kustomization.yaml'],
      ['rename', 'clusters/east/services/service-mc-demo-analytics.yaml', 'clusters/east/services/service-mc-demo-reports.yaml'],
    ])
    const changed = changes.flatMap((c) => c.patch.split('\n').filter((l) => /^[-+][^-+]/.test(l)))
    expect(changed).toEqual(['-  - service-mc-demo-analytics.yaml', '+  - service-mc-demo-reports.yaml', '-  name: analytics', '+  name: reports'])
  })

  test('flux: one Kustomization per cluster and layer, each after the layer before', async () => {
    const tree = await render((t) => t.replace('engine: argocd', 'engine: flux'))
    const ks = objects(tree).filter(({o}) => o.kind === 'Kustomization' && o.metadata?.namespace === 'flux-system')
    const west = ks.filter(({o}) => o.metadata.name.startsWith('west-')).map(({o}) => [o.metadata.name, (o.spec!.dependsOn as {name: string}[] | undefined)?.[0]?.name ?? null])
    expect(west).toEqual([
      ['west-control-plane', null],
      ['west-multicluster', 'west-control-plane'],
      ['west-links', 'west-multicluster'],
      ['west-services', 'west-links'],
    ])
    expect(tree.has('engine/applicationset.yaml')).toBe(false)
  })

  test('argocd: an ApplicationSet with one element per cluster and objects in sync waves in mcfed\'s order', async () => {
    const all = objects(await render())
    const set = all.find(({o}) => o.kind === 'ApplicationSet')!.o
    expect(JSON.stringify(set.spec!.generators)).toBe(JSON.stringify([{list: {elements: [{cluster: 'east'}, {cluster: 'north'}, {cluster: 'west'}]}}]))
    const wave = (kind: string) => new Set(all.filter(({o}) => o.kind === kind).map(({o}) => (o.metadata as {annotations?: Record<string, string>}).annotations?.['argocd.argoproj.io/sync-wave']))
    expect(wave('ConfigMap')).toEqual(new Set(['1']))
    expect(wave('ClusterRole')).toEqual(new Set(['2']))
    expect(wave('Link')).toEqual(new Set(['3']))
  })
})
