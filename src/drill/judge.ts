import type {Cell, VerifyReport} from '../verify/verdicts.js'

/** What a cluster loss must look like from every other cluster, and what it must leave alone. */
export interface LossScope {
  /** The cluster taken down. */
  readonly cluster: string
  /** The spec services that lose their pods there. */
  readonly services: ReadonlySet<string>
}

/** A cell that fails, as it must while the cluster is lost: nothing behind the name any more. */
export interface ExpectedFailure {
  readonly cluster: string
  readonly name: string
  readonly reason: string
}

const key = (c: Cell) => `${c.cluster} ${c.name}`
const same = (a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {})
const counts = (e: Readonly<Record<string, number>> | undefined) => Object.entries(e ?? {}).map(([c, n]) => `${c} ${n}`).join(', ') || 'none'

/** Whether a cell's service stands on the lost cluster's pods: a member there, or mirrored from there. */
function touches(c: Cell, scope: LossScope): boolean {
  return scope.services.has(c.service) && c.endpoints !== undefined && scope.cluster in c.endpoints
}

/**
 * How the mesh differs from a loss absorbed as the spec implies, seen from every other cluster
 * (empty: absorbed). A federated service keeps every other member's endpoints and its membership,
 * and has none left in the lost cluster; a flat or gateway mirror of a lost service has nothing
 * behind it (a gateway mirror's Endpoints lose the gateway's address: the service mirror empties
 * them when the target's are, multicluster/service-mirror/cluster_watcher.go of edge-25.10.7);
 * everything else is as it was, links included.
 */
export function lossProblems(baseline: VerifyReport, now: VerifyReport, scope: LossScope): string[] {
  const problems: string[] = []
  for (const before of baseline.cells.filter((c) => c.cluster !== scope.cluster)) {
    const c = now.cells.find((x) => key(x) === key(before))
    if (!c) {
      problems.push(`${key(before)}: gone from verify`)
      continue
    }
    if (!touches(before, scope)) {
      if (c.ok !== before.ok) problems.push(`${key(c)}: ${c.verdict} (${c.reason}), though it does not depend on ${scope.cluster}`)
      else if (!same(c.endpoints, before.endpoints)) problems.push(`${key(c)}: ready endpoints ${counts(c.endpoints)}, were ${counts(before.endpoints)}, though it does not depend on ${scope.cluster}`)
      continue
    }
    const left = c.endpoints?.[scope.cluster] ?? 0
    if (left > 0) problems.push(`${key(c)}: ${left} ready endpoints still in ${scope.cluster}`)
    if (c.mode === 'federated') {
      if (!c.ok) problems.push(`${key(c)}: ${c.verdict} (${c.reason}); a lost member must stay a member`)
      for (const [cluster, n] of Object.entries(before.endpoints ?? {})) {
        if (cluster !== scope.cluster && (c.endpoints?.[cluster] ?? 0) !== n) problems.push(`${key(c)}: ${c.endpoints?.[cluster] ?? 0} ready endpoints in ${cluster}, were ${n}`)
      }
    } else if (c.mode === 'gateway' && (c.mirror_ready ?? 0) > 0) {
      problems.push(`${key(c)}: the mirror still has ${c.mirror_ready} ready address at the gateway of ${scope.cluster}`)
    }
  }
  for (const u of now.unexpected) problems.push(`${key(u)}: unexpected (${u.reason})`)
  for (const l of now.links.filter((x) => !x.ok)) problems.push(`link ${l.consumer} → ${l.link}: ${l.verdict} (${l.reason})`)
  return problems
}

/** The cells that fail while the cluster is lost, as they must: mirrors with nothing behind them. */
export function expectedFailures(baseline: VerifyReport, scope: LossScope): ExpectedFailure[] {
  return baseline.cells
    .filter((c) => c.cluster !== scope.cluster && c.mode !== 'federated' && touches(c, scope))
    .map((c) => ({cluster: c.cluster, name: c.name, reason: c.mode === 'gateway' ? `no ready endpoints in ${scope.cluster}: the mirror's Endpoints lose the gateway's address` : `no ready endpoints in ${scope.cluster}`}))
}

/** How the mesh differs from the one before the drill (empty: recovered): every cell as it was, endpoints included. */
export function recoveryProblems(baseline: VerifyReport, now: VerifyReport): string[] {
  const problems: string[] = []
  for (const before of baseline.cells) {
    const c = now.cells.find((x) => key(x) === key(before))
    if (!c) problems.push(`${key(before)}: gone from verify`)
    else if (!c.ok) problems.push(`${key(c)}: ${c.verdict} (${c.reason})`)
    else if (!same(c.endpoints, before.endpoints)) problems.push(`${key(c)}: ready endpoints ${counts(c.endpoints)}, were ${counts(before.endpoints)}`)
  }
  for (const u of now.unexpected) problems.push(`${key(u)}: unexpected (${u.reason})`)
  for (const l of now.links.filter((x) => !x.ok)) problems.push(`link ${l.consumer} → ${l.link}: ${l.verdict} (${l.reason})`)
  return problems
}

/** What the report shows of one moment: each federated service's endpoints and shares, each mirror's endpoints, from every cluster. */
export interface PhaseView {
  readonly federated: readonly {readonly service: string; readonly consumer: string; readonly endpoints: Readonly<Record<string, number>>; readonly shares: Readonly<Record<string, number>>}[]
  readonly mirrors: readonly {readonly service: string; readonly consumer: string; readonly name: string; readonly endpoints: Readonly<Record<string, number>>; readonly mirror_ready?: number}[]
}

export function phaseView(r: VerifyReport, services: ReadonlySet<string>): PhaseView {
  const mine = r.cells.filter((c) => services.has(c.service) && c.endpoints)
  return {
    federated: mine.filter((c) => c.mode === 'federated').map((c) => ({service: c.service, consumer: c.cluster, endpoints: c.endpoints!, shares: c.shares ?? {}})),
    mirrors: mine
      .filter((c) => c.mode !== 'federated')
      .map((c) => ({service: c.service, consumer: c.cluster, name: c.name, endpoints: c.endpoints!, ...(c.mirror_ready !== undefined ? {mirror_ready: c.mirror_ready} : {})})),
  }
}
