import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import type {ObservedResource} from '../../../src/graph/resource.js'
import {plan} from '../../../src/plan/planner.js'
import {GITHUB_COMMENT_LIMIT, commentMarker, renderMarkdown} from '../../../src/render/markdown.js'
import {parseSpec} from '../../../src/spec/parse.js'
import {validateSpec} from '../../../src/validate/index.js'
import {clusterName, generateSpec} from '../../support/generate.js'

function bigPlan(clusters: number, deletedClusters: number) {
  const parsed = parseSpec('scale.yaml', generateSpec({clusters}), {})
  expect(validateSpec(parsed.spec!, parsed.sourceMap).filter((d) => d.severity === 'error')).toEqual([])
  const desired = desiredGraph(parsed.spec!)
  // Clusters that existed once and left the spec: owned leftovers that must be destroyed.
  const leftovers: ObservedResource[] = []
  for (let i = 0; i < deletedClusters; i++) {
    const c = `gone${i}`
    for (const [kind, name] of [
      ['gcp_network', c],
      ['gcp_subnetwork', c],
      ['gke_cluster', c],
      ['gcp_firewall', `${clusterName(0)}-from-${c}`],
    ] as const) {
      leftovers.push({address: `${kind}.${name}`, kind, name, cluster: c, attributes: {name}, owned: true})
    }
  }
  return plan({federation: 'scale', project: 'scale-project', mcfedVersion: 'test', desired, observed: leftovers})
}

describe('markdown PR comment', () => {
  test('40 clusters: stays under the limit, keeps every destroy and the summary, says what it trimmed', () => {
    const p = bigPlan(40, 12)
    const md = renderMarkdown(p)
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(md.startsWith(commentMarker('scale'))).toBe(true)
    expect(md).toContain(`Plan: ${p.summary.add} to add, 0 to change, 0 to replace, ${p.summary.destroy} to destroy.`)
    const destroys = p.resource_changes.filter((c) => c.action === 'delete')
    expect(destroys).toHaveLength(48)
    for (const d of destroys) expect(md).toContain(`\`${d.address}\``)
    for (let i = 0; i < 40; i++) expect(md).toMatch(new RegExp(`^\\| ${clusterName(i)} \\|`, 'm'))
    expect(md).toMatch(/Trimmed to stay under GitHub's 65,536-character comment limit: details for \d+ clusters/)
  })

  test('a smaller limit trims more but never the head', () => {
    // Small enough to fit whole: each flat link brings a Link and its remote access on the target.
    const p = bigPlan(4, 2)
    const full = renderMarkdown(p)
    const small = renderMarkdown(p, 6_000)
    expect(small.length).toBeLessThanOrEqual(6_000)
    expect(full).not.toContain('Trimmed')
    expect(small).toContain('Trimmed')
    expect(small).toContain('`gke_cluster.gone1`')
  })
})
