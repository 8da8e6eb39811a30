/**
 * Trust-anchor rotation as a pure function of what every cluster shows: which phase the fleet is
 * in, what the next apply does, and what gates the phase after it. Nothing here reads a cluster or
 * a clock; the caller passes facts and `now`, so a killed apply resumes from what the clusters
 * show, and a unit test can walk every path.
 *
 * The order is Linkerd's documented manual rotation, made fleet-wide: a phase starts only when the
 * one before holds in every cluster, because a proxy in any linked cluster must trust a chain
 * before any issuer signs from it, and must stop holding a certificate from the old chain before
 * any bundle drops it (linkerd2#4287).
 */

import {PROXY_CERTIFICATE_LIFETIME_MS, type ClusterTrustFacts, type Phase, type RotationAction, type RotationInput, type RotationRecord, type RotationStep} from './types.js'

export {PHASES, PROXY_CERTIFICATE_LIFETIME_MS, type ClusterTrustFacts, type Phase, type RotationAction, type RotationInput, type RotationRecord, type RotationStep} from './types.js'

type Reachable = Extract<ClusterTrustFacts, {reachable: true}>

/** The step a plan shows and an apply takes. */
export function rotationStep(input: RotationInput): RotationStep {
  const entries = Object.entries(input.clusters)
  const reachable = entries.filter((e): e is [string, Reachable] => e[1].reachable)
  const unreachable = entries.filter(([, f]) => !f.reachable).map(([c]) => c)
  if (input.next === undefined) return withoutNext(input, reachable, unreachable)
  return rotate({from: rotationSource(input.current, reachable), to: input.next}, input, reachable, unreachable)
}

/** The anchor a rotation to `next` started from: the one recorded, else the spec's own. */
function rotationSource(current: string, reachable: readonly [string, Reachable][]): string {
  return reachable.map(([, f]) => f.record?.from).find((f) => f !== undefined) ?? current
}

function rotate(anchors: {from: string; to: string}, input: RotationInput, reachable: readonly [string, Reachable][], unreachable: readonly string[]): RotationStep {
  const {from, to} = anchors
  const foreign = reachable.filter(([, f]) => f.issuerAnchor !== undefined && f.issuerAnchor !== from && f.issuerAnchor !== to)
  if (foreign.length > 0) {
    return {
      state: 'refused',
      message: `the issuers of ${names(foreign)} chain to neither the current anchor nor trustAnchor.next`,
      hint: 'an anchor mcfed does not know signed them; re-issue them from the spec (remove next, apply) before rotating',
    }
  }
  const record = (c: string, f: Reachable, more: Partial<RotationRecord>, stampNow?: 'bundleAt' | 'issuerAt' | 'droppedAt'): RotationAction => ({
    cluster: c,
    kind: 'record',
    record: {...(f.record?.next === to ? f.record : {}), next: to, from, ...more},
    ...(stampNow ? {stampNow} : {}),
  })
  const both = [from, to]
  const rotating = (phase: Phase, actions: RotationAction[], gate: string, destructive = false): RotationStep => ({state: 'rotating', phase, from, to, actions, gate, unreachable, destructive})

  // A cluster whose control plane serves a bundle without the old anchor is past every phase.
  const dropped = ([, f]: [string, Reachable]) => {
    if (!sameList(f.bundle, [to]) || f.issuerAnchor !== to) return false
    const at = f.record?.next === to ? f.record.droppedAt : undefined
    return !f.record || (at !== undefined && startedSince(f, at))
  }
  const inRotation = reachable.filter((e) => !dropped(e))
  // A cluster whose drop began (an apply killed mid-drop) goes on with the drop, never back to the bundle.
  const dropping = ([, f]: [string, Reachable]) => f.record?.next === to && f.record.droppedAt !== undefined
  const beforeDrop = inRotation.filter((e) => !dropping(e))

  // 1. bundle: every cluster trusts both anchors, old first, and its control plane serves that bundle.
  const bundleActions = beforeDrop.flatMap(([c, f]): RotationAction[] => {
    if (!sameList(f.bundle, both)) return [record(c, f, {}, 'bundleAt'), {cluster: c, kind: 'write-bundle', anchors: both}, ...restart(c, f, 'identity and destination read trust roots only at start (linkerd2#13613)')]
    const at = f.record?.next === to ? f.record.bundleAt : undefined
    if (!at) return [record(c, f, {}, 'bundleAt'), ...restart(c, f, 'its control plane started before the bundle was written')]
    if (!startedSince(f, at)) return [record(c, f, {}), ...restart(c, f, 'its control plane started before the bundle was written')]
    if (!f.record?.bundleServedAt) return [record(c, f, {bundleServedAt: f.controlPlane?.lastStartedAt ?? at})]
    return []
  })
  if (bundleActions.length > 0 || unreachable.length > 0 && !pastBundle(reachable, to)) {
    return rotating('bundle', bundleActions, `every cluster's trust roots hold ${short(from)} then ${short(to)} and its control plane was restarted to read them${held(unreachable)}`)
  }

  // 2. proxies: no meshed pod still runs with the bundle it was injected with before phase 1. The
  // injector writes the PEM itself into LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS (edge-25.10.7,
  // charts/partials/templates/_proxy.tpl): only a restart changes it; waiting does not.
  // Start times, not the proxies' metrics: they are in every pod's status, readable with one LIST.
  const proxyActions = beforeDrop.flatMap(([c, f]): RotationAction[] => {
    if (f.issuerAnchor === to) return []
    const since = f.record!.bundleServedAt!
    const pods = podsBefore(f, since)
    return pods > 0 ? [{cluster: c, kind: 'restart-workloads', startedBefore: since, pods}] : []
  })
  if (proxyActions.length > 0 || unreachable.length > 0 && !pastBundle(reachable, to)) {
    return rotating('proxies', proxyActions, `no meshed pod in any cluster started before its control plane served the new bundle (pods' start times against the recorded bundleServedAt)${held(unreachable)}`)
  }
  if (unreachable.length > 0) {
    return rotating('issuers', [], `issuers are re-issued only when every cluster is known to trust ${short(to)}${held(unreachable)}`)
  }

  // 3. issuers: every cluster's issuer re-issued from the next anchor, its control plane rolled.
  const issuerActions = beforeDrop.flatMap(([c, f]): RotationAction[] => {
    if (f.issuerAnchor !== to) return [record(c, f, {}, 'issuerAt'), {cluster: c, kind: 'reissue-issuer', from: to}, {cluster: c, kind: 'restart-control-plane', because: 'identity signs with the issuer it read at start'}]
    const at = f.record?.issuerAt
    if (!at) return [record(c, f, {}, 'issuerAt'), ...restart(c, f, 'its control plane started before the issuer was re-issued')]
    if (!startedSince(f, at)) return [record(c, f, {}), ...restart(c, f, 'its control plane started before the issuer was re-issued')]
    if (!f.record?.issuerServedAt) return [record(c, f, {issuerServedAt: f.controlPlane?.lastStartedAt ?? at})]
    return []
  })
  if (issuerActions.length > 0) return rotating('issuers', issuerActions, `every cluster's issuer chains to ${short(to)} and its control plane serves it`)

  // 4. drop: the old anchor leaves the bundles once no proxy can hold a certificate from its chain:
  // pods started before their cluster's new issuer are restarted (or their certificates, renewed
  // within 24 h, waited out) first.
  const waiting = beforeDrop.flatMap(([c, f]) => {
    const since = f.record!.issuerServedAt!
    const lifetimeOver = input.now.getTime() - Date.parse(since) >= PROXY_CERTIFICATE_LIFETIME_MS
    const pods = lifetimeOver ? 0 : podsBefore(f, since)
    return pods > 0 ? [{cluster: c, since, pods}] : []
  })
  const dropActions = inRotation.flatMap(([c, f]): RotationAction[] => [record(c, f, {}, 'droppedAt'), ...(sameList(f.bundle, [to]) ? [] : [{cluster: c, kind: 'write-bundle' as const, anchors: [to]}]), ...restart(c, f, 'identity and destination read trust roots only at start')])
  if (waiting.length > 0) {
    const restarts = waiting.map((w): RotationAction => ({cluster: w.cluster, kind: 'restart-workloads', startedBefore: w.since, pods: w.pods}))
    const why = waiting.map((w) => `${w.cluster} (${w.pods} meshed pod${w.pods === 1 ? '' : 's'} started before ${w.since}; restarted by this apply, or renewed from the new issuer by ${new Date(Date.parse(w.since) + PROXY_CERTIFICATE_LIFETIME_MS).toISOString()})`)
    return rotating('drop', restarts, `no proxy may hold a certificate from ${short(from)}'s chain: waiting on ${why.join('; ')}`)
  }
  if (dropActions.length > 0) return rotating('drop', dropActions, `${short(from)} leaves every bundle: destructive, applied only with --allow-destroy`, true)
  return {
    state: 'complete',
    anchor: to,
    actions: reachable.filter(([, f]) => f.record).map(([c]) => ({cluster: c, kind: 'forget-rotation'})),
    message:
      input.next === undefined
        ? `the rotation to ${short(to)} is complete`
        : `the rotation to ${short(to)} is complete: make trustAnchor.next the spec's trustAnchor (and remove next); a plan of the spec so edited is empty`,
  }
}

/** With no `next`: nothing to do, a finished rotation's last step, or one abandoned before any issuer signed from it. */
function withoutNext(input: RotationInput, reachable: readonly [string, Reachable][], unreachable: readonly string[]): RotationStep {
  const recorded = reachable.flatMap(([, f]) => (f.record ? [f.record] : []))
  // The spec's anchor was made the one rotated to before the drop: the rotation goes on, gated as before.
  const towardCurrent = recorded.find((r) => r.next === input.current)
  if (towardCurrent) return rotate({from: towardCurrent.from, to: input.current}, input, reachable, unreachable)
  const leftovers = [...new Set(reachable.flatMap(([, f]) => f.bundle.filter((a) => a !== input.current)))]
  if (leftovers.length === 0 && recorded.length === 0) return {state: 'none'}
  const signedByLeftover = reachable.filter(([, f]) => f.issuerAnchor !== undefined && f.issuerAnchor !== input.current)
  if (signedByLeftover.length > 0) {
    return {
      state: 'refused',
      message: `trustAnchor.next left the spec, but the issuers of ${names(signedByLeftover)} chain to an anchor the spec no longer names (${[...new Set(signedByLeftover.map(([, f]) => short(f.issuerAnchor!)))].join(', ')})`,
      hint: 'put trustAnchor.next back (the rotation resumes where it stopped), or make it the spec trustAnchor to finish the rotation',
    }
  }
  if (unreachable.length > 0) {
    return {state: 'refused', message: `trustAnchor.next left the spec; the bundles go back to the spec's anchor only once every cluster is reachable (${unreachable.join(', ')} is not)`, hint: 'make the clusters reachable, or put trustAnchor.next back'}
  }
  // No issuer ever signed from the leftover anchor: no proxy holds a certificate from its chain.
  const actions = reachable.flatMap(([c, f]): RotationAction[] => [
    ...(sameList(f.bundle, [input.current]) || f.bundle.length === 0 ? [] : [{cluster: c, kind: 'write-bundle' as const, anchors: [input.current]}, {cluster: c, kind: 'restart-control-plane' as const, because: 'identity and destination read trust roots only at start'}]),
    ...(f.record ? [{cluster: c, kind: 'forget-rotation' as const}] : []),
  ])
  return {state: 'abandoned', actions, message: `trustAnchor.next left the spec before any issuer signed from it: the bundles go back to ${short(input.current)} alone`}
}

/** Whether reachable clusters show the rotation past phase 1 (an issuer already from the new chain). */
function pastBundle(reachable: readonly [string, Reachable][], to: string): boolean {
  return reachable.some(([, f]) => f.issuerAnchor === to)
}

/**
 * A restart of the control plane where one runs. Where none runs (Linkerd not installed yet, or
 * installed by this apply from the new values) nothing holds an old bundle or issuer.
 */
function restart(cluster: string, f: Reachable, because: string): RotationAction[] {
  return f.controlPlane ? [{cluster, kind: 'restart-control-plane', because}] : []
}

/** Whether every control-plane pod started at or after `time` (trivially, when none runs). */
function startedSince(f: Reachable, time: string): boolean {
  return !f.controlPlane || !before(f.controlPlane.firstStartedAt, time)
}

/** Pods started before `time`: injected, or issued their first certificate, before what `time` marks. */
function podsBefore(f: Reachable, time: string): number {
  const t = Date.parse(time)
  return f.meshedPodStarts.filter((s) => Date.parse(s) < t).length
}

function before(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b)
}

/**
 * A recorded time at Kubernetes' precision (seconds), rounded up: a pod whose start time (floored
 * to the second) equals it started after it, and one that started earlier in that second counts as
 * before it, which at worst restarts it once more.
 */
export function stamp(now: Date): string {
  return new Date(Math.ceil(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

function held(unreachable: readonly string[]): string {
  return unreachable.length > 0 ? `; held while ${unreachable.join(', ')} ${unreachable.length === 1 ? 'is' : 'are'} unreachable` : ''
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function names(clusters: readonly [string, unknown][]): string {
  return clusters.map(([c]) => c).join(', ')
}

/** A fingerprint as people compare them: its first 12 hex digits. */
function short(fingerprint: string): string {
  return fingerprint.replace(/^sha256:/, '').slice(0, 12)
}
