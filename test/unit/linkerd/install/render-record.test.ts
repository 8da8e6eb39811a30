import {describe, expect, test} from 'vitest'

import {objectKey, RENDERED_DIGEST, type KubeObject} from '../../../../src/linkerd/install/manifests.js'
import {appliedFieldsDigest, parseRecord, recordData, recordMismatch, recordOf, renderInputsDigest} from '../../../../src/linkerd/install/render-record.js'

/** A live object as the API returns it after mcfed's server-side apply, with others' writes beside. */
function live(name: string, fields: object, others: object[] = [], digest = `sha256:${name}`): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'linkerd',
      annotations: {[RENDERED_DIGEST]: digest},
      managedFields: [{manager: 'mcfed', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-12-05T12:00:00Z', fieldsType: 'FieldsV1', fieldsV1: fields}, ...others] as never,
    },
  }
}
const rendered = (name: string): KubeObject => ({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name, namespace: 'linkerd'}})
const FIELDS = {'f:spec': {'f:replicas': {}, 'f:template': {'f:spec': {'f:containers': {'k:{"name":"destination"}': {'.': {}, 'f:image': {}}}}}}}

describe('render inputs', () => {
  test('the digest covers release and values, and carries no key', () => {
    const values = {identity: {issuer: {tls: {crtPEM: 'CERT', keyPEM: '-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----'}}}}
    const a = renderInputsDigest('control-plane', 'edge-25.10.7', values)
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(renderInputsDigest('control-plane', 'edge-25.10.7', structuredClone(values))).toBe(a)
    expect(renderInputsDigest('control-plane', 'edge-26.6.3', values)).not.toBe(a)
    expect(renderInputsDigest('multicluster', 'edge-25.10.7', values)).not.toBe(a)
    // Another key is another render: the key counts, as a hash.
    expect(renderInputsDigest('control-plane', 'edge-25.10.7', {identity: {issuer: {tls: {crtPEM: 'CERT', keyPEM: 'other'}}}})).not.toBe(a)
  })
})

describe('what mcfed applied, as a digest of the fields its apply owns', () => {
  test('writes by other managers (status, a revision annotation, the restart stamp) leave it alone; the apply time too', () => {
    const a = live('d', FIELDS)
    const b = live('d', FIELDS, [{manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: {'f:status': {}}}, {manager: 'mcfed-link-credentials', operation: 'Apply', fieldsV1: {'f:spec': {}}}])
    ;(b.metadata.managedFields as {time: string}[])[0]!.time = '2026-12-06T00:00:00Z'
    expect(appliedFieldsDigest(b, 'mcfed')).toBe(appliedFieldsDigest(a, 'mcfed'))
  })

  test('a hand edit takes a field from mcfed, and so changes it', () => {
    const edited = live('d', {'f:spec': {'f:template': FIELDS['f:spec']['f:template']}}, [{manager: 'kubectl-edit', operation: 'Update', fieldsV1: {'f:spec': {'f:replicas': {}}}}])
    expect(appliedFieldsDigest(edited, 'mcfed')).not.toBe(appliedFieldsDigest(live('d', FIELDS), 'mcfed'))
  })

  test('an object mcfed never applied has none', () => {
    expect(appliedFieldsDigest(live('d', FIELDS), 'someone-else')).toBeUndefined()
  })
})

describe('a render record vouches for the live objects only as they were applied', () => {
  const objects = [live('a', FIELDS), live('b', FIELDS)]
  const record = recordOf('sha256:in', [rendered('a'), rendered('b')], new Map(objects.map((o) => [objectKey(o), o])), 'mcfed')!

  test('recorded from the objects the cluster holds, and read back from its ConfigMap data', () => {
    expect(Object.keys(record.objects)).toEqual(['Deployment linkerd/a', 'Deployment linkerd/b'])
    expect(record.apiVersions).toEqual({Deployment: 'apps/v1'})
    expect(parseRecord(recordData(record))).toEqual(record)
  })

  test('unchanged: no mismatch', () => {
    expect(recordMismatch(record, 'sha256:in', objects, 'mcfed')).toBeUndefined()
  })

  test('every way it stops vouching', () => {
    expect(recordMismatch(undefined, 'sha256:in', objects, 'mcfed')).toBe('no render record')
    expect(recordMismatch(record, undefined, objects, 'mcfed')).toMatch(/known only after apply/)
    expect(recordMismatch(record, 'sha256:other', objects, 'mcfed')).toBe('the render inputs changed')
    expect(recordMismatch(record, 'sha256:in', [objects[0]!], 'mcfed')).toBe('Deployment linkerd/b is gone')
    expect(recordMismatch(record, 'sha256:in', [objects[0]!, live('b', {'f:spec': {}})], 'mcfed')).toBe('Deployment linkerd/b changed')
    expect(recordMismatch(record, 'sha256:in', [objects[0]!, live('b', FIELDS, [], 'sha256:else')], 'mcfed')).toBe('Deployment linkerd/b changed')
    expect(recordMismatch(record, 'sha256:in', [...objects, live('c', FIELDS)], 'mcfed')).toBe('Deployment linkerd/c is not in the render')
  })

  test('no record is made of a render whose objects are not all there as applied', () => {
    expect(recordOf('sha256:in', [rendered('a'), rendered('b')], new Map([[objectKey(objects[0]!), objects[0]!]]), 'mcfed')).toBeUndefined()
  })

  test('a hand-edited record is no record', () => {
    expect(parseRecord({inputs: 'x', objects: '{not json', 'api-versions': '{}'})).toBeUndefined()
    expect(parseRecord({inputs: 'x', objects: '{"a": {"rendered": 1}}', 'api-versions': '{}'})).toBeUndefined()
    expect(parseRecord(undefined)).toBeUndefined()
  })
})
