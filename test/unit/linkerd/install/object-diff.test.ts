import {readFileSync} from 'node:fs'

import {beforeEach, describe, expect, test} from 'vitest'

import {parseManifests, withInventory, type KubeObject} from '../../../../src/linkerd/install/manifests.js'
import {diffObjects} from '../../../../src/linkerd/install/object-diff.js'
import {requireFixtures} from '../../../support/linkerd.js'
import {fixture} from '../../../support/linkerd-fixtures.js'

const render = (version: string, file: string) => parseManifests(readFileSync(fixture(version, file), 'utf8'))
const owned = (objects: KubeObject[]) => objects.map((o) => withInventory(o, {'mcfed.io/federation': 'f'}, 'multicluster'))

beforeEach((ctx) => requireFixtures(ctx))

describe('object-level diff of a render against live objects', () => {
  test('the same render is no change', () => {
    const west = owned(render('edge-25.10.7', 'multicluster-west.yaml'))
    expect(diffObjects(west, structuredClone(west))).toEqual([])
  })

  test('a missing controller is its Deployment, ServiceAccount, RBAC and probe Service to create', () => {
    const changes = diffObjects(owned(render('edge-25.10.7', 'multicluster-west.yaml')), owned(render('edge-25.10.7', 'multicluster-west-without-east-gw.yaml')))
    const created = changes.filter((c) => c.action === 'create').map((c) => c.object)
    expect(created).toContain('Deployment linkerd-multicluster/controller-east-gw')
    expect(created).toContain('Service linkerd-multicluster/probe-east-gw')
    expect(created.some((o) => o.startsWith('ServiceAccount ') && o.includes('east-gw'))).toBe(true)
    expect(changes.filter((c) => c.action === 'delete')).toEqual([])
  })

  test('objects the new render lacks are pruned', () => {
    const changes = diffObjects(owned(render('edge-25.10.7', 'multicluster-west-without-east-gw.yaml')), owned(render('edge-25.10.7', 'multicluster-west.yaml')))
    expect(changes.filter((c) => c.action === 'delete').map((c) => c.object)).toContain('Deployment linkerd-multicluster/controller-east-gw')
  })

  test('an upgrade shows the changed image of each container, matched by name', () => {
    const changes = diffObjects(render('edge-26.6.3', 'control-plane.yaml'), render('edge-25.10.7', 'control-plane.yaml'))
    const destination = changes.find((c) => c.object === 'Deployment linkerd/linkerd-destination')!
    expect(destination.action).toBe('update')
    expect(destination.changes).toContainEqual(
      expect.objectContaining({path: 'spec.template.spec.containers[name=destination].image', after: expect.stringContaining('edge-26.6.3'), before: expect.stringContaining('edge-25.10.7')}),
    )
  })

  test('Secret data is masked in every change', () => {
    const before = render('edge-25.10.7', 'control-plane.yaml')
    const after = before.map((o) => (o.kind === 'Secret' ? {...o, data: Object.fromEntries(Object.keys((o.data as object) ?? {}).map((k) => [k, 'c2VjcmV0'])) } : o))
    const secretChanges = diffObjects(after as KubeObject[], before).filter((c) => c.object.startsWith('Secret '))
    expect(secretChanges.length).toBeGreaterThan(0)
    for (const c of secretChanges) for (const f of c.changes ?? []) expect(f).toEqual({path: f.path, sensitive: true})
    expect(JSON.stringify(secretChanges)).not.toContain('c2VjcmV0')
  })

  test('fields the API server adds are not drift; a changed field set by the render is', () => {
    const [deployment] = render('edge-25.10.7', 'control-plane.yaml').filter((o) => o.kind === 'Deployment')
    const live = structuredClone(deployment!) as unknown as {spec: {replicas?: number; progressDeadlineSeconds?: number}; status?: unknown}
    live.spec.progressDeadlineSeconds = 600
    live.status = {replicas: 1}
    expect(diffObjects([deployment!], [live as unknown as KubeObject])).toEqual([])
    live.spec.replicas = 7
    expect(diffObjects([deployment!], [live as unknown as KubeObject])[0]!.changes).toEqual([{path: 'spec.replicas', before: 7, after: 1}])
  })
})
