import type {DerivedLink} from '../graph/topology.js'
import {CANARY, MULTICLUSTER_NAMESPACE, canaryMirrorName} from '../linkerd/names.js'
import type {ClusterMesh, LeaseFacts} from './mesh-state.js'
import type {Verdict} from './verdict.js'

/** Whether a consumer's Link is served: the Link exists and a controller holds its Lease. */
export interface LinkHealth {
  readonly consumer: string
  readonly link: string
  readonly target: string
  readonly mode: 'flat' | 'gateway'
  readonly ok: boolean
  readonly verdict: Verdict
  readonly reason: string
  /** Seconds since the controller last renewed its Lease, when it did. */
  readonly lease_age_seconds?: number
  /** The credential generation the Link names, and when its token expires. */
  readonly generation?: number
  readonly credentials_expire?: string
  /** When a change to the target's canary last came through the link (the canary's value its mirror carries). */
  readonly last_confirmed?: string
}

/**
 * Whether a consumer's Link is served, in the order a reader fixes things: the Link, the
 * credentials it names (asked of the target with the credentials themselves), the controller
 * holding its Lease, the destination controller on the same generation, and a change to the
 * target's canary having come through to the consumer's mirror of it.
 */
export function linkHealth(l: DerivedLink, mesh: Readonly<Record<string, ClusterMesh>>, now: number): LinkHealth {
  const consumer = mesh[l.from]
  const base = {consumer: l.from, link: l.name, target: l.to, mode: l.mode}
  if (!consumer?.links.some((x) => x.name === l.name)) return {...base, ok: false, verdict: 'no-link', reason: `no Link ${l.name} in ${l.from}`}
  const cred = consumer.credentials.find((c) => c.link === l.name)
  const gen = cred?.generation
  const facts = {...base, ...(gen !== undefined ? {generation: gen} : {}), ...(cred?.expires ? {credentials_expire: cred.expires} : {})}
  const named = `the credentials Link ${l.name} in ${l.from} names${gen !== undefined ? ` (generation ${gen})` : ''}`
  if (cred?.access === 'missing') return {...facts, ok: false, verdict: 'credentials-missing', reason: `${named} are missing: ${cred.detail}`}
  if (cred?.access === 'refused') return {...facts, ok: false, verdict: 'credentials-refused', reason: `${l.to} refuses ${named}: ${cred.detail}`}
  if (cred?.access === 'denied') return {...facts, ok: false, verdict: 'access-denied', reason: `${named} ${cred.detail} in ${l.to}: its remote access was cut`}
  if (cred?.access === 'unknown') return {...facts, ok: false, verdict: 'credentials-unknown', reason: `${l.to} did not say whether it accepts ${named}: ${cred.detail}`}
  const lease = leaseState(consumer.leases.find((x) => x.name === `service-mirror-write-${l.name}`), now)
  if (!lease.held) {
    const controllers = consumer.controllers.filter((c) => c.link === l.name)
    if (controllers.length === 0) return {...facts, ok: false, verdict: 'no-controller', reason: `link ${l.name} in ${l.from} has no service-mirror controller (controller-${l.name})`}
    const names = controllers.map((c) => c.name).join(', ')
    return {...facts, ok: false, verdict: 'controller-stopped', reason: `the ${l.name} controller (${names}) in ${l.from} is not running: ${lease.why}`, ...(lease.age !== undefined ? {lease_age_seconds: lease.age} : {})}
  }
  const held = {...facts, lease_age_seconds: lease.age}
  // Only where mcfed stamped the destination controller (it gives credentials in generations).
  if (gen !== undefined && gen > 0 && cred?.destinationGeneration !== undefined && cred.destinationGeneration !== gen) {
    return {...held, ok: false, verdict: 'destination-stale', reason: `the destination controller of ${l.from} was restarted onto generation ${cred.destinationGeneration} of link ${l.name}'s credentials, not ${gen}: apply restarts it`}
  }
  if (gen !== undefined && gen > 0 && consumer.destinationRolledOut === false) {
    return {...held, ok: false, verdict: 'destination-stale', reason: `the destination controller of ${l.from} has not finished rolling out onto the current credentials`}
  }
  const canary = mesh[l.to]?.exported.find((e) => e.namespace === MULTICLUSTER_NAMESPACE && e.name === CANARY.services[l.mode])
  if (!canary) return {...held, ok: true, verdict: 'ok', reason: `link ${l.name} is served`}
  const mirror = consumer.mirrors.find((m) => m.namespace === MULTICLUSTER_NAMESPACE && m.name === canaryMirrorName(l.mode, l.name))
  const confirmed = mirror?.canary ? {last_confirmed: mirror.canary} : {}
  if (!mirror) return {...held, ok: false, verdict: 'link-stale', reason: `the canary ${CANARY.services[l.mode]} of ${l.to} is not mirrored in ${l.from}: the ${l.name} controller there does not mirror from ${l.to}`}
  if (mirror.canary !== canary.canary) {
    return {...held, ...confirmed, ok: false, verdict: 'link-stale', reason: `a change to the canary of ${l.to} (${canary.canary ?? 'unset'}) has not reached ${l.from}, whose mirror shows ${mirror.canary ?? 'none'}: the ${l.name} controller there cannot read ${l.to}, or has stopped watching it`}
  }
  return {...held, ...confirmed, ok: true, verdict: 'ok', reason: `link ${l.name} is served${mirror.canary ? `; last confirmed ${mirror.canary}` : ''}`}
}

/** A Lease is held while its holder renewed it within its duration; a stopped controller releases it. */
export function leaseState(lease: LeaseFacts | undefined, now: number): {held: boolean; age?: number; why: string} {
  if (!lease) return {held: false, why: 'its Lease was never taken'}
  const renewed = lease.renewTime ? Date.parse(lease.renewTime) : NaN
  const age = Number.isNaN(renewed) ? undefined : Math.max(0, Math.round((now - renewed) / 1000))
  if (!lease.holder) return {held: false, age, why: `its Lease ${lease.name} was released${age !== undefined ? ` ${age}s ago` : ''}`}
  const duration = lease.durationSeconds ?? 0
  if (age !== undefined && age <= duration) return {held: true, age, why: ''}
  return {held: false, age, why: `its Lease ${lease.name} is stale (last renewed ${age ?? '?'}s ago, lasts ${duration}s)`}
}
