/**
 * What each cluster should trust and sign with, given the rotation's step: the one answer the
 * read (which renders the control plane with it), the desired graph and apply share, so a
 * cluster's trust roots, issuer and rotation record are planned as ordinary resources.
 */

import {rotationStep, type RotationAction, type RotationInput, type RotationRecord, type RotationStep} from './phase.js'

/** One cluster's trust as this plan wants it. */
export interface ClusterTrust {
  /** The anchors its trust roots hold, in bundle order (fingerprints). */
  readonly bundle: readonly string[]
  /** The anchor its issuer is signed by (fingerprint). */
  readonly issuerAnchor: string
  /**
   * The rotation's record and the steps this apply takes in the cluster beside the bundle and
   * issuer writes (restarts, the record itself); undefined where no rotation is recorded or wanted.
   */
  readonly rotation?: ClusterRotation
}

export interface ClusterRotation {
  readonly phase: string
  /** The record as this apply leaves it; a field in `stampNow` is set to the time apply writes it. */
  readonly record: RotationRecord
  readonly stampNow?: 'bundleAt' | 'issuerAt' | 'droppedAt'
  /** Restarts, in order: control plane first, then meshed workloads. */
  readonly actions: readonly Extract<RotationAction, {kind: 'restart-control-plane' | 'restart-workloads'}>[]
  /** The drop: the old anchor leaves this cluster's bundle, applied only with --allow-destroy. */
  readonly destructive: boolean
}

export interface TrustPlan {
  readonly step: RotationStep
  readonly clusters: Readonly<Record<string, ClusterTrust>>
}

/** The step and every cluster's trust under it. Clusters the facts do not name trust the spec's anchor alone. */
export function trustPlan(input: RotationInput): TrustPlan {
  const step = rotationStep(input)
  const clusters: Record<string, ClusterTrust> = {}
  for (const [cluster, facts] of Object.entries(input.clusters)) {
    const live = facts.reachable ? facts : undefined
    const mine = 'actions' in step ? step.actions.filter((a) => a.cluster === cluster) : []
    const written = mine.find((a) => a.kind === 'write-bundle')
    const reissued = mine.find((a) => a.kind === 'reissue-issuer')
    const recorded = mine.find((a) => a.kind === 'record')
    clusters[cluster] = {
      bundle: written?.anchors ?? bundleOf(step, live?.bundle, input.current),
      issuerAnchor: reissued?.from ?? issuerOf(step, live?.issuerAnchor, input.current),
      ...(rotationOf(step, live?.record, recorded, mine) ?? {}),
    }
  }
  return {step, clusters}
}

/** The bundle a cluster keeps when this step writes none. */
function bundleOf(step: RotationStep, live: readonly string[] | undefined, current: string): readonly string[] {
  if (step.state === 'rotating') return live && live.length > 0 ? live : [step.from, step.to]
  if (step.state === 'refused') return live && live.length > 0 ? live : [current]
  // Complete while the spec still names next: the anchor is next's until the spec is edited.
  if (step.state === 'complete') return [step.anchor]
  return [current]
}

/** The anchor a cluster's issuer stays signed by when this step re-issues none. */
function issuerOf(step: RotationStep, live: string | undefined, current: string): string {
  if (step.state === 'rotating') return live ?? (step.phase === 'bundle' || step.phase === 'proxies' ? step.from : step.to)
  if (step.state === 'refused') return live ?? current
  if (step.state === 'complete') return step.anchor
  return current
}

function rotationOf(step: RotationStep, live: RotationRecord | undefined, recorded: Extract<RotationAction, {kind: 'record'}> | undefined, mine: readonly RotationAction[]): {rotation: ClusterRotation} | undefined {
  if (step.state !== 'rotating' && step.state !== 'refused') return undefined
  const record = recorded?.record ?? live
  if (!record) return undefined
  const actions = mine.filter((a): a is ClusterRotation['actions'][number] => a.kind === 'restart-control-plane' || a.kind === 'restart-workloads')
  return {
    rotation: {
      phase: step.state === 'rotating' ? step.phase : 'refused',
      record,
      ...(recorded?.stampNow ? {stampNow: recorded.stampNow} : {}),
      actions,
      destructive: step.state === 'rotating' && step.destructive,
    },
  }
}
