import {dirname, join} from 'node:path'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {desiredGraph} from '../graph/desired.js'
import {inLayers, kindSchema} from '../model/kinds.js'
import {heldLinks, remoteAccessAddress} from '../graph/desired-links.js'
import {NO_FACTS_READ, type EstateFacts} from '../graph/facts.js'
import {validLinks} from '../graph/topology.js'
import {address, type DesiredResource, type ObservedResource, type ResourceKind} from '../graph/resource.js'
import {plan} from '../plan/planner.js'
import type {Plan} from '../plan/types.js'
import {readAnchorCertificate} from '../providers/certs/anchor.js'
import {nextAnchorRefusal, type AnchorCertificate} from '../rotation/next-anchor.js'
import type {Provider, ProviderRead} from '../providers/types.js'
import type {TrustPlan} from '../rotation/trust-plan.js'
import {stepDiagnostics} from '../rotation/step-diagnostics.js'
import type {SourceMap} from '../spec/source-map.js'
import type {FederationSpec} from '../spec/types.js'
import {afterIoPoll} from '../util/io-poll.js'
import {sha256} from '../util/stable-json.js'
import type {ValidationResult} from './validate.js'
import {mcfedVersion} from './version.js'
import {waitingOnUnselected} from './layer-selection.js'

export interface PlanRequest {
  readonly file: string
  readonly spec: FederationSpec
  readonly sourceMap: SourceMap
  /** Validation warnings to carry into the plan. */
  readonly diagnostics: readonly Diagnostic[]
  /** An estate read earlier (golden tests); ignored when `providers` are given. */
  readonly observed?: readonly ObservedResource[]
  /** Read the live estate through these; without them (and without `observed`) the plan is offline. */
  readonly providers?: readonly Provider[]
  /** The spec's text, fingerprinted so a saved plan notices a changed spec. */
  readonly specText?: string
  /** Plan the removal of everything the federation owns. */
  readonly destroy?: boolean
  /** Plan only these layers (`gcp`, `kube`); default all. */
  readonly layers?: readonly string[]
  /** Plan the reachable clusters when some cannot be read (their state stays unknown). */
  readonly allowUnreachable?: boolean
  /** `--target` and `--replace` addresses. */
  readonly targets?: readonly string[]
  readonly replace?: readonly string[]
  /** Recorded in the plan; golden tests pin it so a release does not churn them. */
  readonly mcfedVersion?: string
}

/** What every command's plan request shares: the validated spec, its positions, warnings and text. */
export type PlanRequestOptions = Omit<PlanRequest, 'file' | 'spec' | 'sourceMap' | 'diagnostics' | 'specText'>

/** The one place a plan request is built from a validated spec; commands add only their options. */
export function planRequest(validation: ValidationResult, options: PlanRequestOptions): PlanRequest {
  return {
    file: validation.file,
    spec: validation.spec!,
    sourceMap: validation.parsed.sourceMap,
    diagnostics: validation.diagnostics,
    specText: validation.sources.get(validation.file),
    ...options,
  }
}

/** What a live read found: the estate, its diagnostics and a fingerprint per provider. */
export interface EstateRead {
  readonly observed: ObservedResource[]
  readonly diagnostics: Diagnostic[]
  readonly fingerprints: Record<string, string>
  readonly unreachable: string[]
  readonly facts: EstateFacts
  readonly blockedKinds: ResourceKind[]
}

/** Reads every provider in parallel; one failed read fails the plan rather than planning deletes. */
export async function readEstate(providers: readonly Provider[], spec: FederationSpec): Promise<EstateRead> {
  const reads = await Promise.all(providers.map((p) => p.read(spec)))
  return {
    observed: reads.flatMap((r) => r.resources),
    diagnostics: reads.flatMap((r) => r.diagnostics),
    fingerprints: Object.fromEntries(providers.map((p, i) => [p.name, reads[i]!.fingerprint])),
    unreachable: reads.flatMap((r) => r.unreachable ?? []),
    facts: {clusters: Object.assign({}, ...reads.map((r) => r.facts ?? {})), read: true, ...trustOf(reads)},
    blockedKinds: reads.flatMap((r) => r.blockedKinds ?? []),
  }
}

function trustOf(reads: readonly ProviderRead[]): {trust?: TrustPlan} {
  const trust = reads.find((r) => r.trust)?.trust
  return trust ? {trust} : {}
}

export function specFingerprint(text: string): string {
  return `sha256:${sha256(text)}`
}

/** Reads the anchor's public certificate and the estate (if asked), derives the desired graph and diffs. */
export async function planSpec(req: PlanRequest): Promise<Plan> {
  const diagnostics = [...req.diagnostics]
  // The lists go out first: what needs no answer is done while they travel.
  const reading = req.providers ? readEstate(req.providers, req.spec) : undefined
  // Awaited below; should what runs meanwhile throw, a failed read must not also surface unhandled.
  reading?.catch(() => {})
  const certFile = req.spec.spec.linkerd.trustAnchor.certFile
  const anchorPath = join(dirname(req.file), certFile)
  const anchor = await readAnchorCertificate(anchorPath)
  if (!anchor.ok && !req.destroy) {
    diagnostics.push({
      severity: 'warning',
      rule: 'certs/anchor-unreadable',
      message: `trust anchor certificate ${anchorPath} cannot be read (${anchor.reason}); issuer and trust-root fingerprints are known only after apply`,
      locations: [req.sourceMap.locate(['spec', 'linkerd', 'trustAnchor', 'certFile'])],
      hint: anchor.missing ? 'create the anchor with `mcfed certs init`, or point certFile at your existing anchor certificate' : 'certFile must hold one PEM certificate',
    })
  }
  diagnostics.push(...(await nextAnchorDiagnostics(req, anchor.ok ? anchor.certificate : undefined)))
  // What the estate tells (API servers, gateway addresses) shapes the desired graph; when no
  // provider tells anything, the graph is derived while the lists are answered.
  const derive = (facts: EstateFacts | undefined) => (req.destroy ? [] : desiredGraph(req.spec, anchor.ok ? anchor.facts : undefined, facts))
  let early: DesiredResource[] | undefined
  if (reading && !req.providers!.some((p) => p.tellsFacts)) {
    await afterIoPoll()
    early = derive(NO_FACTS_READ)
  }
  const estate = await reading
  diagnostics.push(...rotationDiagnostics(req, estate?.facts.trust))
  let desired = early && estate && Object.keys(estate.facts.clusters).length === 0 ? early : derive(estate?.facts)
  if (req.layers?.length) {
    const left = desired.filter((r) => !inLayers(r.kind, req.layers!)).length
    desired = desired.filter((r) => inLayers(r.kind, req.layers!))
    if (left > 0) {
      diagnostics.push({
        severity: 'warning',
        rule: 'plan/layers-selected',
        message: `only the ${req.layers.join(', ')} layer${req.layers.length > 1 ? 's are' : ' is'} planned; ${left} resources of other layers are left out`,
        locations: [],
        hint: 'drop --layer (or MCFED_LAYERS) to plan everything',
      })
    }
  }
  let observed = req.observed
  let unreachable: string[] = []
  const fingerprints: Record<string, string> = req.specText ? {spec: specFingerprint(req.specText)} : {}
  if (req.providers && estate) {
    const layers = req.layers
    // Links waiting for an extension are neither planned (the desired graph left them out) nor
    // pruned; destroy removes whatever exists of them.
    const waiting = req.destroy ? [] : heldLinks(req.spec, validLinks(req.spec), estate.facts)
    const held = new Set(waiting.flatMap((l) => [address('linkerd_link', `${l.from}/${l.name}`), remoteAccessAddress(l)]))
    // Every credential generation of a held link too: revoking one would cut a link that still runs.
    const heldCredentials = new Set(waiting.map((l) => `${l.from}/${l.name}/`))
    const isHeld = (o: ObservedResource) => held.has(o.address) || (o.kind === 'linkerd_link_credential' && heldCredentials.has(o.name.slice(0, o.name.lastIndexOf('/') + 1)))
    const absent = [...new Set(waiting.flatMap((l) => [l.from, l.to]))].filter((c) => !estate.facts.clusters[c] && !estate.unreachable.includes(c))
    if (absent.length > 0) {
      diagnostics.push({
        severity: 'warning',
        rule: 'linkerd/links-waiting',
        message: `${waiting.length} Links wait for ${absent.join(', ')}, which ${absent.length === 1 ? 'does' : 'do'} not exist yet: with install: external the multicluster extension can only be installed after this apply creates ${absent.length === 1 ? 'it' : 'them'}`,
        locations: [],
        hint: 'apply, install Linkerd and its multicluster extension in the new clusters, then plan and apply again to write the Links',
      })
    }
    observed = estate.observed.filter((o) => !isHeld(o) && (!layers?.length || inLayers(o.kind, layers)))
    if (layers?.length) {
      const waiting = waitingOnUnselected(desired, estate.observed, layers)
      desired = desired.filter((r) => !waiting.held.has(r.address))
      observed = observed.filter((o) => !waiting.held.has(o.address))
      diagnostics.push(...waiting.diagnostics)
    }
    unreachable = estate.unreachable
    diagnostics.push(...estate.diagnostics.map((d) => (req.allowUnreachable && d.rule === 'kube/unreachable' ? {...d, severity: 'warning' as const} : d)))
    // What an unreachable cluster holds is unknown: planning it as missing would plan creates.
    desired = desired.filter((r) => !(kindSchema(r.kind).layer === 'kube' && estate.unreachable.includes(r.cluster)))
    Object.assign(fingerprints, estate.fingerprints)
    // Blocked for this run (the provider said why): neither planned nor pruned, with what needs them.
    if (estate.blockedKinds.length > 0) {
      const blocked = withDependents(desired, (r) => estate.blockedKinds.includes(r.kind))
      desired = desired.filter((r) => !blocked.has(r.address))
      observed = observed?.filter((o) => !blocked.has(o.address) && !estate.blockedKinds.includes(o.kind))
    }
    const covered = new Set<ResourceKind>(req.providers.flatMap((p) => p.kinds))
    const uncovered = withDependents(desired, (r) => !covered.has(r.kind))
    if (uncovered.size > 0) {
      const left = desired.filter((r) => uncovered.has(r.address))
      const layers = [...new Set(left.map((r) => kindSchema(r.kind).layer))]
      const blocked = left.filter((r) => covered.has(r.kind))
      diagnostics.push({
        severity: 'warning',
        rule: 'plan/layer-not-planned',
        message:
          `${left.length} ${layers.join('/')} resources (${[...new Set(left.map((r) => r.kind))].join(', ')}) are not in this plan: this build has no provider for ` +
          `${[...new Set(left.filter((r) => !covered.has(r.kind)).map((r) => r.kind))].join(', ')} yet` +
          (blocked.length > 0 ? `, and ${blocked.length} of them depend on those` : ''),
        locations: [],
        hint:
          req.spec.spec.linkerd.install === 'mcfed'
            ? 'install Linkerd and its multicluster extension yourself and set spec.linkerd.install: external to have mcfed write the Links; `mcfed plan --offline` shows everything the spec implies'
            : '`mcfed plan --offline` shows everything the spec implies',
      })
      desired = desired.filter((r) => !uncovered.has(r.address))
      // Neither planned nor pruned: what exists of them stays as it is.
      observed = observed?.filter((o) => !uncovered.has(o.address))
    }
  }
  return plan({
    federation: req.spec.metadata.name,
    project: req.spec.spec.gcp.project,
    mcfedVersion: req.mcfedVersion ?? mcfedVersion(),
    desired,
    observed,
    diagnostics,
    fingerprints,
    unreachable,
    targets: req.targets,
    replace: req.replace,
  })
}

/** Addresses of the resources matching `excluded` and of everything that depends on them; desired is in dependency order. */
function withDependents(desired: readonly DesiredResource[], excluded: (r: DesiredResource) => boolean): Set<string> {
  const out = new Set<string>()
  for (const r of desired) if (excluded(r) || r.dependsOn.some((d) => out.has(d))) out.add(r.address)
  return out
}

/**
 * `trustAnchor.next`: refused (an error, so nothing is applied) when it cannot be read, is expired,
 * is not a CA or is the current anchor.
 */
async function nextAnchorDiagnostics(req: PlanRequest, current: AnchorCertificate | undefined): Promise<Diagnostic[]> {
  const next = req.spec.spec.linkerd.trustAnchor.next
  if (!next || req.destroy) return []
  const location = [req.sourceMap.locate(['spec', 'linkerd', 'trustAnchor', 'next', 'certFile'])]
  const path = join(dirname(req.file), next.certFile)
  const read = await readAnchorCertificate(path)
  if (!read.ok) {
    return [{severity: 'error', rule: 'certs/next-anchor-unreadable', message: `the next trust anchor ${path} cannot be read (${read.reason})`, locations: location, hint: read.missing ? 'create it with `mcfed certs init --next`, or point next.certFile at the anchor you rotate to' : 'next.certFile must hold one PEM certificate'}]
  }
  const refusal = nextAnchorRefusal(current, read.certificate, new Date())
  if (refusal) {
    return [{severity: 'error', rule: 'certs/next-anchor-refused', message: `trustAnchor.next (${path}) cannot be rotated to: ${refusal}`, locations: location, hint: 'create a fresh one with `mcfed certs init --next --force`'}]
  }
  return []
}

/** The rotation's phase as the live clusters decide it; an offline plan cannot know it and says so. */
function rotationDiagnostics(req: PlanRequest, trust: TrustPlan | undefined): Diagnostic[] {
  const location = req.spec.spec.linkerd.trustAnchor.next ? [req.sourceMap.locate(['spec', 'linkerd', 'trustAnchor', 'next', 'certFile'])] : []
  if (trust) return stepDiagnostics(trust.step, location)
  if (!req.spec.spec.linkerd.trustAnchor.next || req.destroy) return []
  return [{severity: 'warning', rule: 'certs/rotation-offline', message: "trustAnchor.next is set: a rotation's phase is decided by what every cluster shows, which this plan did not read", locations: location, hint: 'plan against the clusters (without --offline, with the kube layer) to see and apply the phase'}]
}
