import {UserError} from '../diagnostics/errors.js'
import {expectedFailures, lossProblems, phaseView, recoveryProblems, type LossScope, type PhaseView} from '../drill/judge.js'
import {restoreSteps, type DrillRecord} from '../drill/record.js'
import {DRILL_FORMAT_VERSION, type DrillReport} from '../drill/report.js'
import {deploymentsBehind, drillServices, servicesLosingPods} from '../drill/workloads.js'
import type {KubeProvider} from '../providers/kube/provider.js'
import {ownerLabels} from '../providers/kube/labels.js'
import {deleteDrillRecord, deploymentsReady, readDeployments, readDrillRecord, readSelectors, recordLocation, scaleDeployment, writeDrillRecord} from '../providers/kube/workloads.js'
import type {FederationSpec} from '../spec/types.js'
import {verifyMesh, type VerifyReport} from '../verify/verdicts.js'

export interface ClusterLossOptions {
  readonly spec: FederationSpec
  readonly kube: KubeProvider
  readonly cluster: string
  readonly services?: readonly string[]
  /** How long the cluster stays down; the loss must show within it. */
  readonly holdMs: number
  /** How long the restore may take to be ready and as before. */
  readonly timeoutMs: number
  /** How long the first verify may wait for a canary change to come through. */
  readonly canaryMs: number
  readonly dryRun: boolean
  readonly force: boolean
  /** Aborted by SIGINT or SIGTERM: the drill restores, then returns. */
  readonly signal: AbortSignal
  readonly progress: (line: string) => void
}

const POLL_MS = 1_000

/** Sleeps, waking early when the drill is interrupted. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })
}

async function judged(spec: FederationSpec, kube: KubeProvider): Promise<VerifyReport> {
  const read = await kube.readMesh(spec)
  if (read.unreachable.length > 0) {
    throw new UserError(`cannot watch the mesh: ${read.unreachable.map((u) => `${u.cluster} is unreachable (${u.reason})`).join('; ')}`, 'a drill reads every cluster; check their endpoints and credentials')
  }
  return verifyMesh(spec, read.mesh, Date.now())
}

/** Verify as `mcfed verify` runs it: a new canary value, then reads until green or the canary's time is up. */
async function baseline(spec: FederationSpec, kube: KubeProvider, canaryMs: number): Promise<VerifyReport> {
  const bumped = await kube.bumpCanaries(spec, new Date().toISOString())
  const deadline = Date.now() + (bumped.length > 0 ? canaryMs : 0)
  for (;;) {
    const report = await judged(spec, kube)
    if (report.ok || Date.now() >= deadline) return report
    await pause(500)
  }
}

/** Every drill record the federation's clusters hold (a drill cut off, or one under way elsewhere). */
export async function findRecords(spec: FederationSpec, kube: KubeProvider, only?: string): Promise<DrillRecord[]> {
  const clusters = only ? [only] : Object.keys(spec.spec.clusters)
  const found = await Promise.all(clusters.map(async (c) => readDrillRecord(await kube.clusterClient(c), spec.metadata.name)))
  return found.filter((r): r is DrillRecord => r !== undefined)
}

/**
 * Puts a recorded cluster back: every Deployment to its recorded count, then waits until they
 * are all ready; the record goes once the counts are set. Returns what is still not ready.
 */
export async function restoreRecord(spec: FederationSpec, kube: KubeProvider, record: DrillRecord, timeoutMs: number, progress: (line: string) => void): Promise<{waiting: string[]; gone: string[]}> {
  const client = await kube.clusterClient(record.cluster)
  const namespaces = [...new Set(record.deployments.map((d) => d.namespace))]
  const {steps, gone} = restoreSteps(record, await readDeployments(client, namespaces))
  await Promise.all(steps.map((s) => scaleDeployment(client, s.namespace, s.name, s.to)))
  for (const s of steps) progress(`${record.cluster}: ${s.namespace}/${s.name} ${s.from} → ${s.to} replicas`)
  const present = record.deployments.filter((d) => !gone.includes(d))
  const deadline = Date.now() + timeoutMs
  let state = await deploymentsReady(client, present)
  while (!state.ready && Date.now() < deadline) {
    await pause(POLL_MS)
    state = await deploymentsReady(client, present)
  }
  await deleteDrillRecord(client, spec.metadata.name)
  return {waiting: state.waiting, gone: gone.map((d) => `${d.namespace}/${d.name}`)}
}

/**
 * The cluster-loss drill: record, scale to zero, watch every other cluster absorb the loss for
 * the hold, restore the recorded counts, watch the mesh come back as it was.
 */
export async function clusterLoss(o: ClusterLossOptions): Promise<DrillReport> {
  const {spec, kube, cluster, progress, signal} = o
  const asked = drillServices(spec, cluster, o.services)
  const leftovers = await findRecords(spec, kube)
  if (leftovers.length > 0 && o.dryRun) throw new UserError(`a drill record is left in ${leftovers.map((r) => r.cluster).join(', ')} from ${leftovers[0]!.started}`, 'run `mcfed drill restore` first')
  for (const r of leftovers) {
    progress(`a drill of ${r.cluster} from ${r.started} was cut off: restoring its recorded replicas first`)
    const left = await restoreRecord(spec, kube, r, o.timeoutMs, progress)
    if (left.waiting.length > 0) throw new UserError(`the restore of ${r.cluster} is not ready: ${left.waiting.join(', ')}`, 'wait for its pods, then run the drill again')
  }

  const before = await baseline(spec, kube, o.canaryMs)
  if (!before.ok && !o.force) {
    const broken = [...before.cells, ...before.unexpected].filter((c) => !c.ok).map((c) => `${c.cluster} ${c.name}: ${c.verdict}`)
    const links = before.links.filter((l) => !l.ok).map((l) => `link ${l.consumer} → ${l.link}: ${l.verdict}`)
    throw new UserError(`the mesh is not as the spec implies before the drill: ${[...broken, ...links].slice(0, 5).join('; ')}`, 'run `mcfed verify` and fix what it names, or pass --force to drill anyway')
  }

  const client = await kube.clusterClient(cluster)
  const everyService = await readSelectors(client, drillServices(spec, cluster))
  const chosen = everyService.filter((s) => asked.some((a) => a.service === s.service))
  const scaled = deploymentsBehind(chosen, await readDeployments(client, [...new Set(everyService.map((s) => s.namespace))]))
  if (scaled.length === 0) {
    throw new UserError(`no Deployment in ${cluster} backs ${asked.map((a) => `${a.namespace}/${a.service}`).join(', ')}: a drill would take nothing down`, "deploy the services' workloads, or check the Services' selectors")
  }
  const scope: LossScope = {cluster, services: new Set(servicesLosingPods(everyService, scaled))}
  const record: DrillRecord = {format: 1, federation: spec.metadata.name, cluster, started: new Date().toISOString(), services: [...scope.services], deployments: scaled.map((d) => ({namespace: d.namespace, name: d.name, replicas: d.replicas}))}
  const base = {
    format_version: DRILL_FORMAT_VERSION,
    federation: spec.metadata.name,
    drill: 'cluster-loss' as const,
    cluster,
    services: record.services,
    dry_run: o.dryRun,
    deployments: record.deployments,
    record: `${recordLocation(spec.metadata.name)} in ${cluster}`,
    expected_failures: expectedFailures(before, scope),
  }
  const phases: {before: PhaseView; during?: PhaseView; after?: PhaseView} = {before: phaseView(before, scope.services)}
  if (o.dryRun) return {...base, phases, problems: before.ok ? [] : ['the mesh is not as the spec implies now (see `mcfed verify`)'], ok: before.ok}
  if (signal.aborted) return {...base, phases, problems: [], interrupted: String(signal.reason ?? 'a signal'), ok: false}

  await writeDrillRecord(client, record, ownerLabels(spec))
  const problems: string[] = []
  let lossSeconds: number | undefined
  // Whatever happens while the cluster is down, it goes back to its recorded counts before this returns or throws.
  let failure: unknown
  try {
    await Promise.all(scaled.map((d) => scaleDeployment(client, d.namespace, d.name, 0)))
    const down = Date.now()
    progress(`${cluster}: ${scaled.map((d) => `${d.namespace}/${d.name}`).join(', ')} scaled to 0; holding for ${Math.round(o.holdMs / 1000)}s`)
    let last: string[] = []
    while (!signal.aborted && Date.now() - down < o.holdMs) {
      const now = await judged(spec, kube)
      last = lossProblems(before, now, scope)
      if (lossSeconds === undefined && last.length === 0) {
        lossSeconds = (Date.now() - down) / 1000
        phases.during = phaseView(now, scope.services)
        progress(`the other clusters absorbed the loss in ${lossSeconds.toFixed(1)}s`)
      } else if (lossSeconds !== undefined && last.length > 0) {
        problems.push(...last.filter((p) => !problems.includes(p)).map((p) => `after the loss had shown: ${p}`))
      }
      await pause(POLL_MS, signal)
    }
    if (lossSeconds === undefined && !signal.aborted) problems.push(...last.map((p) => `not absorbed within the hold: ${p}`))
  } catch (e) {
    failure = e
  }
  const interrupted = signal.aborted ? String(signal.reason ?? 'a signal') : undefined
  if (interrupted) progress(`${interrupted}: restoring ${cluster}'s recorded replicas`)
  const restoring = Date.now()
  const left = await restoreRecord(spec, kube, record, o.timeoutMs, progress)
  problems.push(...left.waiting.map((w) => `not ready after the restore: ${w}`), ...left.gone.map((g) => `deleted during the drill, not restored: ${g}`))
  let recoverySeconds: number | undefined
  if (failure) throw failure
  if (!interrupted && left.waiting.length === 0) {
    const deadline = restoring + o.timeoutMs
    let last: string[] = []
    for (;;) {
      const now = await judged(spec, kube)
      last = recoveryProblems(before, now)
      if (last.length === 0) {
        recoverySeconds = (Date.now() - restoring) / 1000
        phases.after = phaseView(now, scope.services)
        break
      }
      if (Date.now() >= deadline) {
        problems.push(...last.map((p) => `not as before the drill after the restore: ${p}`))
        break
      }
      await pause(POLL_MS)
    }
  }
  return {
    ...base,
    phases,
    problems,
    ...(lossSeconds !== undefined ? {loss_seconds: round(lossSeconds)} : {}),
    ...(recoverySeconds !== undefined ? {recovery_seconds: round(recoverySeconds)} : {}),
    ...(interrupted ? {interrupted} : {}),
    ok: problems.length === 0 && !interrupted,
  }
}

const round = (s: number) => Math.round(s * 10) / 10
