import {describe, expect, it} from 'vitest'

import {PROXY_CERTIFICATE_LIFETIME_MS, rotationStep, stamp, type ClusterTrustFacts, type RotationAction, type RotationRecord, type RotationStep} from '../../../src/rotation/phase.js'

const A = 'sha256:aaaaaaaaaaaaaaaa'
const B = 'sha256:bbbbbbbbbbbbbbbb'
const T0 = Date.parse('2027-01-01T00:00:00Z')
const MINUTE = 60_000

/**
 * A fleet as Linkerd behaves: the control plane reads trust roots and issuer when it starts; a
 * pod's proxy is injected with the trust roots the control plane served when the pod started and
 * gets its certificate from the issuer the control plane served then, renewed within 24 h.
 */
interface Pod {
  startedAt: number
  trusts: string[]
  certAnchor: string
  certAt: number
}
interface Cluster {
  reachable: boolean
  bundle: string[]
  issuerAnchor: string
  cp: {startedAt: number; bundle: string[]; issuer: string}
  pods: Pod[]
  record?: RotationRecord
}

class World {
  now = T0
  readonly clusters = new Map<string, Cluster>()

  /** A cluster installed with `bundle` as its trust roots and an issuer from A. */
  add(name: string, pods = 2, bundle = [A]): void {
    const cp = {startedAt: this.now, bundle, issuer: A}
    this.clusters.set(name, {reachable: true, bundle: [...bundle], issuerAnchor: A, cp, pods: Array.from({length: pods}, () => this.pod(cp))})
  }

  private pod(cp: Cluster['cp']): Pod {
    return {startedAt: this.now, trusts: [...cp.bundle], certAnchor: cp.issuer, certAt: this.now}
  }

  facts(): Record<string, ClusterTrustFacts> {
    return Object.fromEntries(
      [...this.clusters].map(([name, c]): [string, ClusterTrustFacts] => [
        name,
        c.reachable
          ? {
              reachable: true,
              bundle: [...c.bundle],
              controlPlane: {firstStartedAt: iso(c.cp.startedAt), lastStartedAt: iso(c.cp.startedAt)},
              issuerAnchor: c.issuerAnchor,
              meshedPodStarts: c.pods.map((p) => iso(p.startedAt)),
              ...(c.record ? {record: c.record} : {}),
            }
          : {reachable: false, reason: 'connection refused'},
      ]),
    )
  }

  step(next: string | undefined, current = A): RotationStep {
    return rotationStep({current, next, clusters: this.facts(), now: new Date(this.now)})
  }

  /** Applies actions one by one (an apply killed after `limit` of them applies only those), checking mTLS after each. */
  apply(actions: readonly RotationAction[], limit = Infinity): void {
    for (const a of actions.slice(0, limit)) {
      const c = this.clusters.get(a.cluster)!
      this.now += 1000
      if (a.kind === 'write-bundle') c.bundle = [...a.anchors]
      if (a.kind === 'record') c.record = a.stampNow ? {...a.record, [a.stampNow]: stamp(new Date(this.now))} : a.record
      if (a.kind === 'forget-rotation') delete c.record
      if (a.kind === 'reissue-issuer') c.issuerAnchor = a.from
      // Kubernetes reports start times to the second.
      if (a.kind === 'restart-control-plane') c.cp = {startedAt: Math.floor(this.now / 1000) * 1000, bundle: [...c.bundle], issuer: c.issuerAnchor}
      if (a.kind === 'restart-workloads') c.pods = c.pods.map((p) => (p.startedAt < Date.parse(a.startedBefore) ? this.pod(c.cp) : p))
      this.expectMtls()
    }
  }

  /** Time passes: proxies renew their certificates from the issuer their control plane serves. */
  wait(ms: number): void {
    this.now += ms
    for (const c of this.clusters.values()) {
      for (const p of c.pods) {
        if (this.now - p.certAt >= 0.7 * PROXY_CERTIFICATE_LIFETIME_MS) Object.assign(p, {certAnchor: c.cp.issuer, certAt: this.now})
      }
    }
    this.expectMtls()
  }

  /** Every proxy in every cluster accepts every other proxy's certificate: cross-cluster mTLS holds. */
  expectMtls(): void {
    const pods = [...this.clusters.values()].flatMap((c) => [...c.pods, {trusts: c.cp.bundle, certAnchor: c.cp.issuer} as Pod])
    for (const p of pods) for (const q of pods) expect(p.trusts, `a proxy trusting ${p.trusts} meets a certificate from ${q.certAnchor}`).toContain(q.certAnchor)
  }
}

const iso = (t: number) => new Date(t).toISOString()
const kinds = (s: RotationStep) => ('actions' in s ? s.actions.map((a) => `${a.cluster}:${a.kind}`) : [])

/** Drives applies until the rotation completes; returns the phases seen, in order. */
function rotateToCompletion(w: World, o: {killAfter?: (apply: number) => number | undefined; waitOut?: boolean} = {}): string[] {
  const seen: string[] = []
  for (let apply = 0; apply < 40; apply++) {
    const s = w.step(B)
    seen.push(s.state === 'rotating' ? s.phase : s.state)
    if (s.state === 'complete') {
      w.apply(s.actions)
      return seen
    }
    expect(s.state).toBe('rotating')
    if (s.state !== 'rotating') return seen
    if (s.actions.length === 0) {
      // A gate is waited for: proxies renew, or someone restarts them.
      w.wait(o.waitOut ? PROXY_CERTIFICATE_LIFETIME_MS : MINUTE)
      continue
    }
    w.apply(s.actions, o.killAfter?.(apply))
    w.wait(MINUTE)
  }
  throw new Error(`no completion after 40 applies: ${seen.join(' → ')}`)
}

/** Applies every planned action, a minute apart, until the plan reaches `phase`; returns that plan. */
function applyUntil(w: World, phase: string): RotationStep {
  let s = w.step(B)
  while (!(s.state === 'rotating' && s.phase === phase)) {
    expect(s.state).toBe('rotating')
    w.apply((s as unknown as {actions: RotationAction[]}).actions)
    w.wait(MINUTE)
    s = w.step(B)
  }
  return s
}

function phasesInOrder(seen: readonly string[]): void {
  const order = ['bundle', 'proxies', 'issuers', 'drop', 'complete']
  const ranks = seen.map((p) => order.indexOf(p))
  expect(ranks.every((r) => r >= 0)).toBe(true)
  for (let i = 1; i < ranks.length; i++) expect(ranks[i]!, `${seen.join(' → ')}`).toBeGreaterThanOrEqual(ranks[i - 1]!)
  expect(new Set(seen)).toEqual(new Set(order))
}

describe('trust-anchor rotation phases', () => {
  it('is no rotation while the spec names no next anchor and every bundle holds the anchor alone', () => {
    const w = new World()
    w.add('west')
    expect(w.step(undefined)).toEqual({state: 'none'})
  })

  it('starts with the bundle: both anchors, old first, then the control plane restarts to read them', () => {
    const w = new World()
    w.add('west')
    w.add('east')
    const s = w.step(B)
    expect(s).toMatchObject({state: 'rotating', phase: 'bundle', destructive: false})
    expect(kinds(s)).toEqual(['west:record', 'west:write-bundle', 'west:restart-control-plane', 'east:record', 'east:write-bundle', 'east:restart-control-plane'])
    expect((s as unknown as {actions: RotationAction[]}).actions.find((a) => a.kind === 'write-bundle')).toMatchObject({anchors: [A, B]})
  })

  it('walks bundle → proxies → issuers → drop → complete with mTLS holding after every single action', () => {
    const w = new World()
    for (const c of ['west', 'east', 'north']) w.add(c, 3)
    phasesInOrder(rotateToCompletion(w, {waitOut: true}))
    for (const c of w.clusters.values()) expect(c).toMatchObject({bundle: [B], issuerAnchor: B, cp: {bundle: [B], issuer: B}})
    expect(w.step(undefined, B)).toEqual({state: 'none'})
  })

  it('plans proxies: restarts exactly the pods started before the control plane served the bundle', () => {
    const w = new World()
    w.add('west', 4)
    w.apply((w.step(B) as unknown as {actions: RotationAction[]}).actions)
    w.wait(MINUTE)
    const recorded = w.step(B)
    expect(kinds(recorded)).toEqual(['west:record'])
    w.apply((recorded as unknown as {actions: RotationAction[]}).actions)
    const s = w.step(B)
    expect(s).toMatchObject({state: 'rotating', phase: 'proxies'})
    expect((s as unknown as {actions: RotationAction[]}).actions).toEqual([{cluster: 'west', kind: 'restart-workloads', startedBefore: w.clusters.get('west')!.record!.bundleServedAt, pods: 4}])
  })

  it('restarts the pods from before the new issuer before the drop, or waits out their certificates\' lifetime', () => {
    for (const restart of [true, false]) {
      const w = new World()
      w.add('west', 2)
      let s = applyUntil(w, 'drop')
      // Pods from before the new issuer hold certificates from the old chain: they go first, not the anchor.
      expect(s).toMatchObject({phase: 'drop', destructive: false})
      expect(kinds(s)).toEqual(['west:restart-workloads'])
      expect((s as unknown as {gate: string}).gate).toMatch(/west \(2 meshed pods started before .*; restarted by this apply, or renewed from the new issuer by/)
      if (restart) w.apply((s as unknown as {actions: RotationAction[]}).actions)
      else w.wait(PROXY_CERTIFICATE_LIFETIME_MS)
      s = w.step(B)
      expect(s).toMatchObject({phase: 'drop', destructive: true})
      expect(kinds(s)).toEqual(['west:record', 'west:write-bundle', 'west:restart-control-plane'])
    }
  })

  it('resumes where an apply was killed: after any prefix of any apply, the rotation still completes in order', () => {
    for (let cut = 1; cut <= 3; cut++) {
      const w = new World()
      for (const c of ['west', 'east']) w.add(c, 2)
      // Every other apply is killed after `cut` actions.
      phasesInOrder(rotateToCompletion(w, {killAfter: (apply) => (apply % 2 === 0 ? cut : undefined), waitOut: true}))
    }
  })

  it('holds before issuers and never drops while a cluster is unreachable', () => {
    const w = new World()
    for (const c of ['west', 'east']) w.add(c)
    let s = w.step(B)
    w.clusters.get('east')!.reachable = false
    s = w.step(B)
    expect(s).toMatchObject({state: 'rotating', phase: 'bundle', unreachable: ['east']})
    expect(kinds(s).every((k) => k.startsWith('west:'))).toBe(true)
    expect((s as unknown as {gate: string}).gate).toContain('held while east is unreachable')
    // West finishes what it can; the plan never moves on without east.
    for (let i = 0; i < 6; i++) {
      w.apply((s as unknown as {actions: RotationAction[]}).actions)
      w.wait(PROXY_CERTIFICATE_LIFETIME_MS)
      s = w.step(B)
      expect(s.state === 'rotating' && ['bundle', 'proxies'].includes(s.phase)).toBe(true)
    }
    expect(s).toMatchObject({actions: []})
  })

  it('never drops with a cluster unreachable, even when every reachable cluster is ready', () => {
    const w = new World()
    for (const c of ['west', 'east']) w.add(c)
    let s = applyUntil(w, 'drop')
    w.wait(PROXY_CERTIFICATE_LIFETIME_MS)
    w.clusters.get('east')!.reachable = false
    s = w.step(B)
    expect(s).toMatchObject({state: 'rotating', destructive: false, actions: []})
    expect(kinds(s).some((k) => k.endsWith('write-bundle'))).toBe(false)
  })

  it('takes a cluster added mid-rotation through every phase before the drop, alone', () => {
    const w = new World()
    for (const c of ['west', 'east']) w.add(c)
    let s = applyUntil(w, 'drop')
    // Installed with the rotation's bundle (as mcfed installs a cluster mid-rotation): mTLS holds from the start.
    w.add('south', 2, [A, B])
    w.expectMtls()
    s = w.step(B)
    expect(s).toMatchObject({state: 'rotating', phase: 'bundle'})
    expect(kinds(s).every((k) => k.startsWith('south:'))).toBe(true)
    phasesInOrder(rotateToCompletion(w, {waitOut: true}))
  })

  it('abandons a rotation whose next left the spec before any issuer signed from it', () => {
    const w = new World()
    w.add('west')
    w.apply((w.step(B) as unknown as {actions: RotationAction[]}).actions)
    const s = w.step(undefined)
    expect(s).toMatchObject({state: 'abandoned'})
    expect(kinds(s)).toEqual(['west:write-bundle', 'west:restart-control-plane', 'west:forget-rotation'])
    w.apply((s as unknown as {actions: RotationAction[]}).actions)
    expect(w.step(undefined)).toEqual({state: 'none'})
  })

  it('refuses when next left the spec after an issuer was re-issued from it', () => {
    const w = new World()
    for (const c of ['west', 'east']) w.add(c)
    let s = applyUntil(w, 'issuers')
    w.apply((s as unknown as {actions: RotationAction[]}).actions, 2)
    const refused = w.step(undefined)
    expect(refused).toMatchObject({state: 'refused'})
    expect((refused as {message: string}).message).toContain('west')
  })

  it('goes on, gated, when next was made the spec anchor before the drop', () => {
    const w = new World()
    w.add('west')
    applyUntil(w, 'drop')
    expect(w.step(undefined, B)).toMatchObject({state: 'rotating', phase: 'drop', destructive: false})
    expect(kinds(w.step(undefined, B))).toEqual(['west:restart-workloads'])
    w.wait(PROXY_CERTIFICATE_LIFETIME_MS)
    expect(w.step(undefined, B)).toMatchObject({state: 'rotating', phase: 'drop', destructive: true})
  })
})
