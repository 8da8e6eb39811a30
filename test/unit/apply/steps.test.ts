import {describe, expect, test} from 'vitest'

import {planSteps, serializeUpgrades} from '../../../src/apply/steps.js'
import type {ResourceChange} from '../../../src/plan/types.js'

function change(kind: ResourceChange['kind'], cluster: string, before: string, after: string, dependsOn: string[] = []): ResourceChange {
  return {
    address: `${kind}.${cluster}`,
    kind,
    name: cluster,
    cluster,
    action: 'update',
    before: {version: before},
    after: {version: after},
    after_unknown: [],
    sensitive: [],
    changes: [],
    depends_on: dependsOn,
  }
}

const upgrade = (cluster: string) => [
  change('linkerd_crds', cluster, 'edge-25.10.7', 'edge-26.6.3'),
  change('linkerd_control_plane', cluster, 'edge-25.10.7', 'edge-26.6.3', [`linkerd_crds.${cluster}`]),
  change('linkerd_multicluster', cluster, 'edge-25.10.7', 'edge-26.6.3', [`linkerd_control_plane.${cluster}`]),
]

describe('Linkerd upgrades, cluster by cluster', () => {
  test('each cluster starts after the previous one has finished all its upgrade steps', () => {
    const steps = serializeUpgrades(planSteps([...upgrade('west'), ...upgrade('east'), ...upgrade('north')]), 1)
    const after = (id: string) => steps.find((s) => s.id === id)!.after
    expect(after('linkerd_crds.west#update')).toEqual([])
    expect(after('linkerd_crds.east#update')).toEqual(['linkerd_crds.west#update', 'linkerd_control_plane.west#update', 'linkerd_multicluster.west#update'])
    expect(after('linkerd_crds.north#update')).toEqual(['linkerd_crds.east#update', 'linkerd_control_plane.east#update', 'linkerd_multicluster.east#update'])
  })

  test('a width of 2 upgrades two clusters at once', () => {
    const steps = serializeUpgrades(planSteps([...upgrade('west'), ...upgrade('east'), ...upgrade('north')]), 2)
    expect(steps.find((s) => s.id === 'linkerd_crds.east#update')!.after).toEqual([])
    expect(steps.find((s) => s.id === 'linkerd_crds.north#update')!.after).toContain('linkerd_multicluster.west#update')
  })

  test('changes that are not upgrades (same version) are left alone', () => {
    const steps = planSteps([change('linkerd_multicluster', 'west', 'edge-25.10.7', 'edge-25.10.7'), change('linkerd_multicluster', 'east', 'edge-25.10.7', 'edge-25.10.7')])
    expect(serializeUpgrades(steps, 1)).toEqual(steps)
  })
})
