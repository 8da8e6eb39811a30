import {describe, expect, test} from 'vitest'

import {waitingOnUnselected} from '../../../src/engine/layer-selection.js'
import type {DesiredResource, ObservedResource, ResourceKind} from '../../../src/graph/resource.js'

const desired = (kind: ResourceKind, name: string, dependsOn: string[]): DesiredResource => ({address: `${kind}.${name}`, kind, name, cluster: name.split('/')[0]!, attributes: {}, unknown: [], inputs: {}, dependsOn, replacedWith: []})
const observed = (kind: ResourceKind, name: string): ObservedResource => ({address: `${kind}.${name}`, kind, name, cluster: name.split('/')[0]!, owned: true, attributes: {}})

const token = desired('linkerd_link_credential', 'west/east/g1', ['gke_cluster.west', 'linkerd_remote_access.west/east', 'linkerd_multicluster.west'])
const issuer = desired('linkerd_issuer', 'west', ['gke_cluster.west'])

describe('resources of a --layer selection waiting for what it does not write', () => {
  test('a link token waits while its target has no remote access; GCP and components, which a credentials run does not read, are not counted missing', () => {
    const {held, diagnostics} = waitingOnUnselected([issuer, token], [], ['credentials'])
    expect([...held]).toEqual(['linkerd_link_credential.west/east/g1'])
    expect(diagnostics[0]?.message).toMatch(/1 resources wait for 1 they depend on .*linkerd_remote_access\.west\/east/)
  })

  test('once the engine synced the remote access, the token is planned', () => {
    expect(waitingOnUnselected([issuer, token], [observed('linkerd_remote_access', 'west/east')], ['credentials']).held.size).toBe(0)
  })

  test('what depends on a held resource waits too; with the kube layer selected nothing is outside the selection', () => {
    const link = desired('linkerd_link', 'west/east', ['linkerd_link_credential.west/east/g1'])
    expect([...waitingOnUnselected([token, link], [], ['credentials']).held].sort()).toEqual(['linkerd_link.west/east', 'linkerd_link_credential.west/east/g1'])
    expect(waitingOnUnselected([token, link], [], ['kube']).held.size).toBe(0)
  })
})
