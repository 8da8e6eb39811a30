import {validLinks, type DerivedLink} from '../graph/topology.js'
import {CANARY, GATEWAY_PORT, MULTICLUSTER_NAMESPACE} from '../linkerd/names.js'
import type {FederationSpec, ServiceMode} from '../spec/types.js'
import {modeLabel} from '../graph/topology.js'
import {accessCells, type AccessCell} from './access.js'
import {sharesOf} from './endpoint-slices.js'
import {leaseState, linkHealth, type LinkHealth} from './link-health.js'
import type {ClusterMesh, EndpointsFacts} from './mesh-state.js'
import type {Verdict} from './verdict.js'
import {trustReport, type TrustReport} from './trust.js'

/**
 * 1.1: links carry their credential generation, expiry and last confirmed time; summary counts broken links.
 * 1.2: cells carry ready endpoints per cluster behind them, federated cells each cluster's share,
 * gateway cells the mirror's ready addresses; `access` is the authorization matrix, counted in the summary.
 * 1.3: `trust`: each cluster's trust roots and issuer anchor, and whether every linked pair shares one.
 */
export const VERIFY_FORMAT_VERSION = '1.3'

export type {Verdict} from './verdict.js'
export type {LinkHealth} from './link-health.js'

/** Can a client in `cluster` reach `service` by `name`, and through what. */
export interface Cell {
  readonly service: string
  readonly namespace: string
  readonly mode: ServiceMode
  readonly cluster: string
  readonly name: string
  readonly via: readonly string[]
  readonly ok: boolean
  readonly verdict: Verdict
  readonly reason: string
  /** Ready endpoints of the service in each cluster behind the name (EndpointSlices, as Linkerd's destination controller counts them). */
  readonly endpoints?: Readonly<Record<string, number>>
  /** Federated: each member cluster's share of the traffic, as a fraction of all ready endpoints. */
  readonly shares?: Readonly<Record<string, number>>
  /** Gateway: the ready addresses of the mirror's Endpoints (the target's gateway while it has ready endpoints). */
  readonly mirror_ready?: number
}

export interface VerifyReport {
  readonly format_version: string
  readonly federation: string
  readonly ok: boolean
  readonly summary: {readonly ok: number; readonly broken: number; readonly unexpected: number; readonly links_broken: number; readonly access_broken: number; readonly trust_broken: number}
  readonly cells: readonly Cell[]
  readonly unexpected: readonly Cell[]
  readonly links: readonly LinkHealth[]
  /** Per service with an allow list, cluster and port: the identities live policies admit against the spec's. */
  readonly access: readonly AccessCell[]
  readonly trust: TrustReport
}

/**
 * The mesh the spec implies against what Linkerd's controllers made of it, cell by cell. Pure:
 * `mesh` holds every cluster's reads, `now` judges Lease ages.
 */
export function verifyMesh(spec: FederationSpec, mesh: Readonly<Record<string, ClusterMesh>>, now: number): VerifyReport {
  const links = validLinks(spec)
  const health = links.map((l) => linkHealth(l, mesh, now))
  const healthOf = (consumer: string, link: string) => health.find((h) => h.consumer === consumer && h.link === link)
  const cells: Cell[] = []
  for (const [service, s] of Object.entries(spec.spec.services)) {
    const label = modeLabel(s.mode)
    const exportedFrom = (target: string) =>
      mesh[target]?.exported.some((e) => e.namespace === s.namespace && e.name === service && e.labels[label.key] === label.value) ?? false
    if (s.mode === 'federated') {
      cells.push(...federatedCells(service, s.namespace, s.clusters, links, mesh, healthOf, exportedFrom, now))
      continue
    }
    const mode = s.mode === 'flat' ? 'flat' : 'gateway'
    for (const l of links.filter((x) => x.mode === mode && s.clusters.includes(x.to) && x.from !== x.to)) {
      const name = `${service}-${l.name}`
      const base = {service, namespace: s.namespace, mode: s.mode, cluster: l.from, name, via: [l.name], endpoints: {[l.to]: readyIn(mesh, l.to, s.namespace, service)}}
      const h = healthOf(l.from, l.name)!
      const consumer = mesh[l.from]!
      const mirror = consumer.mirrors.find((m) => m.namespace === s.namespace && m.name === name)
      if (!h.ok) cells.push({...base, ok: false, verdict: h.verdict, reason: h.reason})
      else if (!exportedFrom(l.to)) cells.push({...base, ok: false, verdict: 'target-missing', reason: `${s.namespace}/${service} is not exported from ${l.to} (missing, or without ${label.key}=${label.value})`})
      else if (!mirror) cells.push({...base, ok: false, verdict: 'not-mirrored', reason: `not mirrored yet: no ${s.namespace}/${name} in ${l.from}`})
      else if (mode === 'gateway') cells.push({...base, ...gatewayEndpoints(l, s.namespace, service, name, mesh), mirror_ready: mirrorReady(consumer, s.namespace, name)})
      else cells.push({...base, ok: true, verdict: 'ok', reason: `mirrored from ${l.to} through link ${l.name}, pod to pod`})
    }
  }
  const unexpected = unexpectedMirrors(spec, mesh, cells, links)
  const broken = cells.filter((c) => !c.ok).length
  const linksBroken = health.filter((h) => !h.ok).length
  const access = accessCells(spec, mesh, links)
  const accessBroken = access.filter((a) => !a.ok).length
  const trust = trustReport(spec, mesh)
  const trustBroken = trust.pairs.filter((p) => !p.ok).length
  return {
    format_version: VERIFY_FORMAT_VERSION,
    federation: spec.metadata.name,
    ok: broken === 0 && unexpected.length === 0 && linksBroken === 0 && accessBroken === 0 && trustBroken === 0,
    summary: {ok: cells.length - broken, broken, unexpected: unexpected.length, links_broken: linksBroken, access_broken: accessBroken, trust_broken: trustBroken},
    cells,
    unexpected,
    links: health,
    access,
    trust,
  }
}

function gatewayEndpoints(l: DerivedLink, namespace: string, service: string, name: string, mesh: Readonly<Record<string, ClusterMesh>>): Pick<Cell, 'ok' | 'verdict' | 'reason'> {
  const gateway = (mesh[l.to]?.gateway?.address ?? '').split(',').filter(Boolean)
  const port = mesh[l.to]?.gateway?.port ?? GATEWAY_PORT
  const expected = new Set(gateway.map((a) => `${a}:${port}`))
  const mirror = findEndpoints(mesh[l.from]?.mirrorEndpoints, namespace, name)
  const target = findEndpoints(mesh[l.to]?.exportedEndpoints, namespace, service)
  const live = mirror?.ready ?? []
  const where = gateway.length > 0 ? `${[...expected].join(', ')}` : `${l.to}'s gateway (which has no address)`
  if (live.length > 0 && live.some((a) => !expected.has(a))) return {ok: false, verdict: 'wrong-endpoints', reason: `endpoints at ${live.join(', ')}, not at the gateway of ${l.to} (${where})`}
  if (live.length > 0) return {ok: true, verdict: 'ok', reason: `through the gateway of ${l.to} at ${live.join(', ')}`}
  if ((target?.ready.length ?? 0) > 0) return {ok: false, verdict: 'no-endpoints', reason: `the mirror has no endpoints although ${l.to} has ready ones: expected ${where}`}
  return {ok: true, verdict: 'ok', reason: `mirrored through the gateway of ${l.to}; ${l.to} has no ready endpoints for ${service}, so neither has the mirror`}
}

/** Ready endpoints of a service in a cluster; 0 when the cluster or the service has none. */
function readyIn(mesh: Readonly<Record<string, ClusterMesh>>, cluster: string, namespace: string, service: string): number {
  return mesh[cluster]?.serviceEndpoints.find((e) => e.namespace === namespace && e.name === service)?.ready ?? 0
}

/** Distinct ready addresses of a mirror's Endpoints (they list an address once per port). */
function mirrorReady(consumer: ClusterMesh, namespace: string, name: string): number {
  return new Set((findEndpoints(consumer.mirrorEndpoints, namespace, name)?.ready ?? []).map((a) => a.replace(/:\d+$/, ''))).size
}

function findEndpoints(list: readonly EndpointsFacts[] | undefined, namespace: string, name: string): EndpointsFacts | undefined {
  return list?.find((e) => e.namespace === namespace && e.name === name)
}

function federatedCells(
  service: string,
  namespace: string,
  members: readonly string[],
  links: readonly DerivedLink[],
  mesh: Readonly<Record<string, ClusterMesh>>,
  healthOf: (consumer: string, link: string) => LinkHealth | undefined,
  exportedFrom: (cluster: string) => boolean,
  now: number,
): Cell[] {
  const consumers = Object.keys(mesh).filter((c) => members.includes(c) || links.some((l) => l.from === c && l.mode === 'flat' && members.includes(l.to)))
  const name = `${service}-federated`
  return consumers.map((c) => {
    const flat = links.filter((l) => l.from === c && l.mode === 'flat' && members.includes(l.to) && l.to !== c)
    const expected = [...(members.includes(c) ? [c] : []), ...flat.map((l) => l.to)]
    const base = {service, namespace, mode: 'federated' as const, cluster: c, name, via: flat.map((l) => l.name)}
    const fed = mesh[c]!.mirrors.find((m) => m.namespace === namespace && m.name === name)
    if (!fed) {
      const dead = flat.map((l) => healthOf(c, l.name)!).find((h) => !h.ok)
      return {...base, ok: false, verdict: dead ? dead.verdict : 'not-mirrored', reason: dead ? dead.reason : `not mirrored yet: no ${namespace}/${name} in ${c}`}
    }
    // Each membership entry names a link; the link names the cluster it counts.
    const targetOf = (link: string) => links.find((l) => l.from === c && l.name === link)?.to ?? mesh[c]!.links.find((l) => l.name === link)?.targetClusterName ?? link
    const counted: {cluster: string; entry: string}[] = []
    if (fed.localMember) counted.push({cluster: c, entry: `${fed.localMember} (local)`})
    for (const entry of fed.remoteMembers) counted.push({cluster: targetOf(entry.split('@')[1] ?? entry), entry})
    const twice = [...new Set(counted.map((x) => x.cluster))].filter((x) => counted.filter((y) => y.cluster === x).length > 1)
    if (twice.length > 0) {
      return {...base, ok: false, verdict: 'member-twice', reason: twice.map((x) => `${x} counted twice (${counted.filter((y) => y.cluster === x).map((y) => y.entry).join(', ')})`).join('; ')}
    }
    const seen = new Set(counted.map((x) => x.cluster))
    const endpoints = Object.fromEntries([...seen].sort().map((x) => [x, readyIn(mesh, x, namespace, service)]))
    const numbers = {endpoints, shares: sharesOf(endpoints)}
    const missing = expected.filter((x) => !seen.has(x))
    const extra = [...seen].filter((x) => !expected.includes(x))
    if (missing.length > 0 || extra.length > 0) {
      const why = (x: string) => {
        if (x === c) return mesh[c]!.leases.some((l) => l.name === 'local-service-mirror-write' && leaseState(l, now).held) ? `${x} missing` : `${x} missing (the local service mirror is not running)`
        const h = flat.find((l) => l.to === x) && healthOf(c, flat.find((l) => l.to === x)!.name)
        if (h && !h.ok) return `${x} missing: ${h.reason}`
        if (!exportedFrom(x)) return `${x} missing: ${namespace}/${service} is not a member there`
        return `${x} missing`
      }
      const parts = [...missing.map(why), ...extra.map((x) => `${x} is not a member in the spec`)]
      return {...base, ...numbers, ok: false, verdict: 'members-missing', reason: `${expected.filter((x) => seen.has(x)).length}/${expected.length}: ${parts.join('; ')}`}
    }
    return {...base, ...numbers, ok: true, verdict: 'ok', reason: `${expected.length}/${expected.length}: ${expected.join(', ')}`}
  })
}

/** Mirrors no cell accounts for: a service the spec does not export there, or a deleted link's leftovers. */
function unexpectedMirrors(spec: FederationSpec, mesh: Readonly<Record<string, ClusterMesh>>, cells: readonly Cell[], links: readonly DerivedLink[]): Cell[] {
  const out: Cell[] = []
  for (const [cluster, m] of Object.entries(mesh)) {
    for (const mirror of m.mirrors) {
      // Canary mirrors are the links' own check, not a service of the spec.
      if (!mirror.link || (mirror.namespace === MULTICLUSTER_NAMESPACE && mirror.name.startsWith(CANARY.services.flat))) continue
      if (cells.some((c) => c.cluster === cluster && c.namespace === mirror.namespace && c.name === mirror.name)) continue
      const specLink = links.some((l) => l.from === cluster && l.name === mirror.link)
      const liveLink = m.links.some((l) => l.name === mirror.link)
      const service = mirror.name.endsWith(`-${mirror.link}`) ? mirror.name.slice(0, -(mirror.link.length + 1)) : mirror.name
      const s = spec.spec.services[service]
      out.push({
        service,
        namespace: mirror.namespace,
        mode: s?.mode ?? 'flat',
        cluster,
        name: mirror.name,
        via: [mirror.link],
        ok: false,
        verdict: 'unexpected',
        reason: !specLink && !liveLink
          ? `left behind by link ${mirror.link}, which no longer exists`
          : `${mirror.namespace}/${service} is mirrored through ${mirror.link}, but the spec does not export it that way`,
      })
    }
  }
  return out
}
