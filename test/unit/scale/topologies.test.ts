import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import {parseSpec} from '../../../src/spec/parse.js'
import {validateSpec} from '../../../src/validate/index.js'
import {clusterName, generateSpec} from '../../support/generate.js'

async function validateText(file: string, text: string) {
  const parsed = parseSpec(file, text, {})
  if (!parsed.spec) return {spec: undefined, diagnostics: parsed.diagnostics}
  return {spec: parsed.spec, diagnostics: validateSpec(parsed.spec, parsed.sourceMap)}
}

const count = (graph: ReturnType<typeof desiredGraph>, kind: string) => graph.filter((r) => r.kind === kind).length

/** Shapes a federation of hundreds of clusters can take within GCP's 25 peerings per network. */
describe('300 clusters', () => {
  test('a full mesh is refused, and the error names both ways out', async () => {
    const text = generateSpec({clusters: 300}).replace(/peeringLimit: \d+/, 'peeringLimit: 25')
    const v = await validateText('mesh.yaml', text)
    const limit = v.diagnostics.filter((d) => d.rule === 'peering/limit')
    expect(limit).toHaveLength(300)
    expect(limit[0]!.hint).toContain('spec.gcp.network: shared')
    expect(limit[0]!.hint).toContain('islands')
  })

  test('in one shared VPC: valid, no peering, one firewall rule, a subnet per cluster', async () => {
    const v = await validateText('shared.yaml', generateSpec({clusters: 300, topology: 'shared'}))
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const g = desiredGraph(v.spec!)
    expect([count(g, 'gcp_network'), count(g, 'gcp_subnetwork'), count(g, 'gcp_peering'), count(g, 'gcp_firewall'), count(g, 'gke_cluster')]).toEqual([1, 300, 0, 1, 300])
    expect(g.find((r) => r.kind === 'gcp_firewall')!.attributes.source_ranges).toHaveLength(600)
  })

  test('as islands of 25 joined by gateway links: valid, every network within the peering limit, a firewall rule per network', async () => {
    const v = await validateText('islands.yaml', generateSpec({clusters: 300, topology: {islandSize: 25}}))
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const g = desiredGraph(v.spec!)
    // 12 islands of 25: 300 pairs each, two halves per pair.
    expect(count(g, 'gcp_peering')).toBe(12 * 300 * 2)
    expect(count(g, 'gcp_firewall')).toBe(300)
    expect(g.find((r) => r.address === `gcp_firewall.${clusterName(0)}`)!.attributes.source_ranges).toHaveLength(48)
    // Across islands only gateway links: c026 reaches the gateway service on c000 through c000-gw.
    expect(g.some((r) => r.address === `linkerd_link.${clusterName(26)}/${clusterName(0)}-gw`)).toBe(true)
    expect(g.some((r) => r.address === `linkerd_link.${clusterName(26)}/${clusterName(0)}`)).toBe(false)
  })

  test('a flat link between islands is refused: VPC peering is not transitive', async () => {
    const text = generateSpec({clusters: 50, topology: {islandSize: 25}}).replace('  links:\n', `  links:\n    - {from: ${clusterName(0)}, to: ${clusterName(30)}, mode: flat}\n`)
    const v = await validateText('islands.yaml', text)
    expect(v.diagnostics.map((d) => d.rule)).toContain('links/not-peered')
  })
})
