import {readFileSync} from 'node:fs'

import {beforeEach, describe, expect, test} from 'vitest'

import {COMPONENT_LABEL, objectDigest, objectKey, parseManifests, type KubeObject} from '../../../../../../src/linkerd/install/manifests.js'
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

/** Records what a component step sends to the API server. */
function recordingClient() {
  const applied: KubeObject[] = []
  const deleted: string[] = []
  const client = {
    applyRendered: async (o: KubeObject) => void applied.push(o),
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
    expect(applied).toEqual([])
    const gone = new Set(after.map(objectKey))
    const expected = before.filter((o) => !gone.has(objectKey(o))).map((o) => `${o.apiVersion} ${objectKey(o)}`)
    expect(deleted.sort()).toEqual(expected.sort())
    expect(deleted).toContain('apps/v1 Deployment linkerd-multicluster/controller-east-gw')
    expect(deleted.every((d) => d.includes('east-gw'))).toBe(true)
  })

  test('objects whose digest differs from what the plan read are applied, with the inventory label', async () => {
    const {client, applied} = recordingClient()
    const objects = recorded('multicluster-west.yaml')
    const change = update(objects)
    const drifted = 'Deployment linkerd-multicluster/controller-east-gw'
    ;(change.before!.objects as Record<string, string>)[drifted] = 'drifted'
    await mutateComponent({client, owner: ownerLabels(spec), renderer: rendering(objects), certificates: async () => ({}) as never}, 'update', change)
    expect(applied.map(objectKey)).toEqual([drifted])
    expect(applied[0]!.metadata.labels).toMatchObject({[COMPONENT_LABEL]: 'multicluster', 'mcfed.io/federation': 'mc-demo'})
    expect(applied[0]!.metadata.annotations?.['mcfed.io/rendered-digest']).toBe(objectDigest(objects.find((o) => objectKey(o) === drifted)!))
  })

  test('destroy deletes what the plan read, Namespace last', async () => {
    const {client, deleted} = recordingClient()
    const objects = recorded('multicluster-west.yaml')
    await mutateComponent({client, owner: ownerLabels(spec), renderer: undefined, certificates: async () => ({}) as never}, 'delete', update(objects))
    expect(deleted).toHaveLength(objects.length)
    expect(deleted.at(-1)).toBe('v1 Namespace linkerd-multicluster')
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
