import {readFileSync} from 'node:fs'

import {beforeEach, describe, expect, test} from 'vitest'

import {COMPONENT_LABEL, objectDigest, objectKey, parseManifests, withInventory, type KubeObject} from '../../../../../../src/linkerd/install/manifests.js'
import {parseRecord, recordMismatch, renderInputsDigest} from '../../../../../../src/linkerd/install/render-record.js'
import type {ResourceChange} from '../../../../../../src/plan/types.js'
import type {KubeClient} from '../../../../../../src/providers/kube/client.js'
import {ownerLabels} from '../../../../../../src/providers/kube/labels.js'
import {mutateComponent} from '../../../../../../src/providers/kube/linkerd/install/mutate-component.js'
import type {ComponentRenderer} from '../../../../../../src/providers/kube/linkerd/install/render.js'
import {renderFacts} from '../../../../../../src/providers/kube/linkerd/install/read-components.js'
import {parseSpec} from '../../../../../../src/spec/parse.js'
import {requireFixtures} from '../../../../../support/linkerd.js'
import {fixture} from '../../../../../support/linkerd-fixtures.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
const recorded = (file: string) => parseManifests(readFileSync(fixture('edge-25.10.7', file), 'utf8'))

/** As the API server holds an object mcfed applied: its inventory, digest and mcfed's managed fields. */
function held(o: KubeObject): KubeObject {
  const inventoried = withInventory(o, ownerLabels(spec), 'multicluster')
  return {...inventoried, metadata: {...inventoried.metadata, managedFields: [{manager: 'mcfed', operation: 'Apply', apiVersion: o.apiVersion, fieldsV1: {'f:metadata': {}, 'f:spec': {}}}] as never}}
}

/** Records what a component step sends to the API server; lists answer with `live`. */
function recordingClient(live: KubeObject[] = []) {
  const applied: KubeObject[] = []
  const deleted: string[] = []
  const client = {
    applyRendered: async (o: KubeObject) => void applied.push(o),
    listObjects: async (apiVersion: string, kind: string) => live.filter((o) => o.apiVersion === apiVersion && o.kind === kind),
    deleteRendered: async (o: KubeObject) => void deleted.push(`${o.apiVersion} ${objectKey(o)}`),
    // Established when asked after an apply; gone when asked after a delete.
    readObject: async (_: string, kind: string, name: string) =>
      deleted.some((d) => d.endsWith(` ${kind} ${name}`)) ? undefined : {status: {conditions: [{type: 'Established', status: 'True'}]}},
  } as unknown as KubeClient
  return {client, applied, deleted}
}
const rendering = (objects: KubeObject[]) => ({cliPath: 'stand-in', render: async () => objects}) as unknown as ComponentRenderer

function update(before: KubeObject[]): ResourceChange {
  const facts = renderFacts(before)
  return {
    address: 'linkerd_multicluster.west',
    kind: 'linkerd_multicluster',
    name: 'west',
    cluster: 'west',
    action: 'update',
    before: {version: 'edge-25.10.7', objects: facts.objects, api_versions: facts.apiVersions},
    after: {version: 'edge-25.10.7'},
    after_unknown: [],
    sensitive: [],
    changes: [],
    depends_on: [],
  }
}

beforeEach((ctx) => requireFixtures(ctx))

describe('applying a rendered component from the plan', () => {
  test('a link removed from the spec prunes exactly its controller\'s objects, and applies nothing unchanged', async () => {
    const {client, applied, deleted} = recordingClient()
    const before = recorded('multicluster-west.yaml')
    const after = recorded('multicluster-west-without-east-gw.yaml')
    await mutateComponent({client, owner: ownerLabels(spec), renderer: rendering(after), certificates: async () => ({}) as never}, 'update', update(before))
    expect(applied.filter((o) => o.kind !== 'ConfigMap')).toEqual([])
    const gone = new Set(after.map(objectKey))
    const expected = before.filter((o) => !gone.has(objectKey(o))).map((o) => `${o.apiVersion} ${objectKey(o)}`)
    const pruned = deleted.filter((d) => !d.includes('kube-system/mcfed-render-'))
    expect(pruned.sort()).toEqual(expected.sort())
    expect(pruned).toContain('apps/v1 Deployment linkerd-multicluster/controller-east-gw')
    expect(pruned.every((d) => d.includes('east-gw'))).toBe(true)
  })

  test('objects whose digest differs from what the plan read are applied, with the inventory label', async () => {
    const {client, applied} = recordingClient()
    const objects = recorded('multicluster-west.yaml')
    const change = update(objects)
    const drifted = 'Deployment linkerd-multicluster/controller-east-gw'
    ;(change.before!.objects as Record<string, string>)[drifted] = 'drifted'
    await mutateComponent({client, owner: ownerLabels(spec), renderer: rendering(objects), certificates: async () => ({}) as never}, 'update', change)
    expect(applied.map(objectKey).filter((k) => !k.startsWith('ConfigMap kube-system/'))).toEqual([drifted])
    expect(applied[0]!.metadata.labels).toMatchObject({[COMPONENT_LABEL]: 'multicluster', 'mcfed.io/federation': 'mc-demo'})
    expect(applied[0]!.metadata.annotations?.['mcfed.io/rendered-digest']).toBe(objectDigest(objects.find((o) => objectKey(o) === drifted)!))
  })

  test('destroy deletes what the plan read, Namespace last', async () => {
    const {client, deleted} = recordingClient()
    const objects = recorded('multicluster-west.yaml')
    await mutateComponent({client, owner: ownerLabels(spec), renderer: undefined, certificates: async () => ({}) as never}, 'delete', update(objects))
    expect(deleted).toHaveLength(objects.length + 1)
    // The render record goes first: nothing half-deleted is ever vouched for.
    expect(deleted[0]).toBe('v1 ConfigMap kube-system/mcfed-render-multicluster')
    expect(deleted.at(-1)).toBe('v1 Namespace linkerd-multicluster')
  })

  test('after applying, the render record names the inputs and every object as the cluster holds it', async () => {
    const objects = recorded('multicluster-west.yaml')
    const {client, applied} = recordingClient(objects.map(held))
    const change = update(objects)
    const values = {gateway: {enabled: false}, controllers: []}
    await mutateComponent({client, owner: ownerLabels(spec), renderer: rendering(objects), certificates: async () => ({}) as never}, 'update', {...change, after: {...change.after, values}})
    const record = applied.find((o) => objectKey(o) === 'ConfigMap kube-system/mcfed-render-multicluster') as KubeObject & {data: Record<string, string>}
    expect(record.metadata.labels).toMatchObject({'mcfed.io/render-record': 'multicluster', 'mcfed.io/federation': 'mc-demo'})
    const parsed = parseRecord(record.data)!
    expect(parsed.inputs).toBe(renderInputsDigest('multicluster', 'edge-25.10.7', values))
    expect(Object.keys(parsed.objects).sort()).toEqual(objects.map(objectKey).sort())
    expect(recordMismatch(parsed, parsed.inputs, objects.map(held), 'mcfed')).toBeUndefined()
  })

  test('no record is written when an object is not as applied after the apply', async () => {
    const objects = recorded('multicluster-west.yaml')
    const {client, applied, deleted} = recordingClient(objects.slice(1).map(held))
    await mutateComponent({client, owner: ownerLabels(spec), renderer: rendering(objects), certificates: async () => ({}) as never}, 'update', update(objects))
    expect(applied.some((o) => o.kind === 'ConfigMap' && o.metadata.namespace === 'kube-system')).toBe(false)
    expect(deleted).toContain('v1 ConfigMap kube-system/mcfed-render-multicluster')
  })
})

describe('a component renders from the plan, not the spec', () => {
  test("the control plane's render gets the plan's values and this apply's certificates; the multicluster render gets the plan's values alone", async () => {
    const asked: {component: string; values: unknown}[] = []
    const renderer = {cliPath: 'stand-in', render: async (component: string, values: unknown) => (asked.push({component, values}), [])} as unknown as ComponentRenderer
    const certs = {anchorPem: 'ANCHOR', issuerCertPem: 'ISSUER', issuerKeyPem: 'KEY', webhookCaPem: 'WEBHOOK-CA'}
    const {client} = recordingClient()
    const ctx = {client, owner: ownerLabels(spec), renderer, certificates: async () => certs}
    const planned = (kind: ResourceChange['kind'], values: object): ResourceChange => ({...update([]), kind, address: `${kind}.west`, after: {version: 'edge-25.10.7', values: values as never}})
    await mutateComponent(ctx, 'update', planned('linkerd_control_plane', {heartbeatSchedule: '7 3 * * *', identityTrustDomain: 'from-the-plan'}))
    await mutateComponent(ctx, 'update', planned('linkerd_multicluster', {gateway: {enabled: false}, controllers: []}))
    expect(asked[0]).toMatchObject({component: 'control-plane', values: {heartbeatSchedule: '7 3 * * *', identityTrustDomain: 'from-the-plan', identityTrustAnchorsPEM: 'ANCHOR', identity: {issuer: {tls: {crtPEM: 'ISSUER', keyPEM: 'KEY'}}}, proxyInjector: {externalSecret: true, caBundle: 'WEBHOOK-CA'}}})
    expect(asked[1]).toEqual({component: 'multicluster', values: {gateway: {enabled: false}, controllers: []}})
  })
})
