import type {FederationSpec} from '../spec/types.js'
import {desiredAuthorization} from './desired-authorization.js'
import {desiredGcp} from './desired-gcp.js'
import {desiredLinkerd} from './desired-linkerd.js'
import {NO_FACTS, type AnchorFacts, type EstateFacts} from './facts.js'
import {dependencyOrder} from './order.js'
import type {DesiredResource} from './resource.js'

export type {AnchorFacts, EstateFacts}

/**
 * Every resource mcfed manages for a spec, with addresses and dependencies, in dependency order.
 * Pure: the trust anchor's public facts and what the estate tells (API servers, gateway addresses)
 * are read by the caller. Assumes a spec that validated.
 */
export function desiredGraph(spec: FederationSpec, anchor?: AnchorFacts, facts: EstateFacts = NO_FACTS): DesiredResource[] {
  const resources = [...desiredGcp(spec), ...desiredLinkerd(spec, anchor, facts), ...desiredAuthorization(spec)]
  // A dependency outside the graph (a resource of a layer not planned) is no edge: dependencyOrder skips it.
  return dependencyOrder(resources, (r) => r.address, (r) => r.dependsOn)
}
