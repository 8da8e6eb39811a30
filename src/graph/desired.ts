import type {FederationSpec} from '../spec/types.js'
import {desiredGcp} from './desired-gcp.js'
import {desiredLinkerd, type AnchorFacts} from './desired-linkerd.js'
import {topologicalOrder} from './order.js'
import type {DesiredResource} from './resource.js'

export type {AnchorFacts}

/**
 * Every resource mcfed manages for a spec, with addresses and dependencies, in dependency order.
 * Pure: the trust anchor's public facts are read by the caller. Assumes a spec that validated.
 */
export function desiredGraph(spec: FederationSpec, anchor?: AnchorFacts): DesiredResource[] {
  const resources = [...desiredGcp(spec), ...desiredLinkerd(spec, anchor)]
  const byAddress = new Map(resources.map((r) => [r.address, r]))
  return topologicalOrder(
    resources.map((r) => r.address),
    (a) => (byAddress.get(a)?.dependsOn ?? []).filter((d) => byAddress.has(d)),
  ).map((a) => byAddress.get(a)!)
}
