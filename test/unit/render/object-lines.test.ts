import {describe, expect, test} from 'vitest'

import type {ResourceChange} from '../../../src/plan/types.js'
import {objectLines} from '../../../src/render/object-lines.js'
import {style} from '../../../src/render/style.js'

const base: ResourceChange = {
  address: 'linkerd_control_plane.west',
  kind: 'linkerd_control_plane',
  name: 'west',
  cluster: 'west',
  action: 'update',
  before: {objects: {}},
  after: {objects: {}},
  after_unknown: [],
  sensitive: [],
  changes: [],
  depends_on: [],
}

describe("a component's objects beneath its block", () => {
  test('created, pruned and changed objects, a multi-line value as a line diff, Secret data masked', () => {
    const lines = objectLines(
      {
        ...base,
        object_changes: [
          {action: 'create', object: 'Deployment linkerd-multicluster/controller-east-gw'},
          {action: 'delete', object: 'Server linkerd-multicluster/linkerd-admin'},
          {
            action: 'update',
            object: 'ConfigMap linkerd/linkerd-config',
            changes: [{path: 'data.values', before: 'a: 1\nb: 2\nc: 3\n', after: 'a: 1\nb: 5\nc: 3\n'}],
          },
          {action: 'update', object: 'Secret linkerd/linkerd-identity-issuer', changes: [{path: 'data["crt.pem"]', sensitive: true}]},
        ],
      },
      style(false),
    )
    expect(lines).toEqual([
      '      + Deployment linkerd-multicluster/controller-east-gw',
      '      - Server linkerd-multicluster/linkerd-admin',
      '      ~ ConfigMap linkerd/linkerd-config',
      '          ~ data.values = <<-EOT',
      '              - b: 2',
      '              + b: 5',
      '            EOT',
      '      ~ Secret linkerd/linkerd-identity-issuer',
      '          ~ data["crt.pem"] = (sensitive value)',
    ])
  })

  test('a created component lists every object it will apply', () => {
    expect(objectLines({...base, action: 'create', before: null, after: {objects: {'Namespace linkerd': 'sha256:1', 'Deployment linkerd/linkerd-destination': 'sha256:2'}}}, style(false))).toEqual([
      '      + Namespace linkerd',
      '      + Deployment linkerd/linkerd-destination',
    ])
  })
})
