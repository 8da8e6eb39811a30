/**
 * Names of the cloud objects mcfed creates. They are derived, never stored, so a rename in the
 * spec shows up as a replace in the plan.
 */
import {isSharedNetwork, networkName} from './topology.js'
import type {FederationSpec} from '../spec/types.js'

export {networkName}

/** A cluster's subnet: named as its VPC, or `<federation>-<cluster>` inside a shared VPC. */
export function subnetworkName(spec: FederationSpec, cluster: string): string {
  return isSharedNetwork(spec) ? `${spec.metadata.name}-${cluster}` : networkName(spec, cluster)
}

/** The half of a peering that lives on `cluster`'s network and points at `peer`'s. */
export function peeringName(spec: FederationSpec, cluster: string, peer: string): string {
  return `${spec.metadata.name}-${cluster}-${peer}`
}

export const PODS_RANGE_NAME = 'pods'
export const SERVICES_RANGE_NAME = 'services'
export const NODE_POOL_NAME = 'default-pool'

/** Compute and Kubernetes object names: RFC 1035 labels of at most 63 characters. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
export const MAX_LABEL = 63
