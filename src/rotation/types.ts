/** What the rotation's phase machine reads from every cluster, and what it tells an apply to do. */

export const PHASES = ['bundle', 'proxies', 'issuers', 'drop'] as const
export type Phase = (typeof PHASES)[number]

/** A proxy's certificate lives 24 h and is renewed before it ends: after that, none from an old issuer is left. */
export const PROXY_CERTIFICATE_LIFETIME_MS = 24 * 60 * 60 * 1000

/** What mcfed recorded in a cluster (an annotated ConfigMap it owns) as the rotation went. */
export interface RotationRecord {
  /** The anchor being rotated to (fingerprint). */
  readonly next: string
  /** The anchor being rotated from (fingerprint). */
  readonly from: string
  /** When mcfed wrote the bundle holding both anchors and restarted the control plane. */
  readonly bundleAt?: string
  /** When the control plane was seen serving that bundle: a pod started after it was injected with it. */
  readonly bundleServedAt?: string
  /** When mcfed re-issued the issuer from the next anchor and restarted the control plane. */
  readonly issuerAt?: string
  /** When the control plane was seen serving that issuer: a proxy started after it holds a certificate from the new chain. */
  readonly issuerServedAt?: string
  /** When mcfed dropped the old anchor from the bundle and restarted the control plane. */
  readonly droppedAt?: string
}

export type ClusterTrustFacts =
  | {readonly reachable: false; readonly reason: string}
  | {
      readonly reachable: true
      /** Fingerprints in the cluster's trust roots, in bundle order; empty where Linkerd is not installed yet. */
      readonly bundle: readonly string[]
      /**
       * The control plane's pods (identity, destination, proxy injector): when the first and the
       * last of them started; undefined where none runs.
       */
      readonly controlPlane?: {readonly firstStartedAt: string; readonly lastStartedAt: string}
      /** The anchor the cluster's issuer chains to; undefined where there is no issuer yet. */
      readonly issuerAnchor?: string
      /** When each meshed workload pod (one with a proxy, outside the control plane) started. */
      readonly meshedPodStarts: readonly string[]
      readonly record?: RotationRecord
    }

export type RotationAction =
  | {readonly cluster: string; readonly kind: 'write-bundle'; readonly anchors: readonly string[]}
  | {readonly cluster: string; readonly kind: 'restart-control-plane'; readonly because: string}
  | {readonly cluster: string; readonly kind: 'restart-workloads'; readonly startedBefore: string; readonly pods: number}
  | {readonly cluster: string; readonly kind: 'reissue-issuer'; readonly from: string}
  /**
   * Writes the cluster's rotation record; `stampNow` names the field the applier sets to the time
   * it writes (`stamp(now)`): a saved plan applied later must not date a bundle before it was written.
   */
  | {readonly cluster: string; readonly kind: 'record'; readonly record: RotationRecord; readonly stampNow?: 'bundleAt' | 'issuerAt' | 'droppedAt'}
  | {readonly cluster: string; readonly kind: 'forget-rotation'}

export interface RotationInput {
  /** The spec's anchor (fingerprint); undefined when its certificate cannot be read. */
  readonly current: string
  /** `trustAnchor.next` (fingerprint), undefined when the spec names none. */
  readonly next: string | undefined
  readonly clusters: Readonly<Record<string, ClusterTrustFacts>>
  readonly now: Date
}

export type RotationStep =
  /** No rotation: every bundle holds the spec's anchor alone, nothing recorded. */
  | {readonly state: 'none'}
  | {
      readonly state: 'rotating'
      readonly phase: Phase
      /** The anchor rotated from and the one rotated to (fingerprints). */
      readonly from: string
      readonly to: string
      /** What the next apply does (empty while a gate is waited for). */
      readonly actions: readonly RotationAction[]
      /** What must hold, in which clusters, before the phase after this one. */
      readonly gate: string
      /** Clusters whose state is unknown: they hold the rotation before issuers and drop. */
      readonly unreachable: readonly string[]
      /** The drop: old anchors leave the bundles, which only --allow-destroy applies. */
      readonly destructive: boolean
    }
  /** Every cluster trusts the next anchor alone and its issuer chains to it. */
  | {readonly state: 'complete'; readonly actions: readonly RotationAction[]; readonly message: string; /** The anchor rotated to (fingerprint). */ readonly anchor: string}
  /** `next` left the spec before any issuer signed from it: bundles go back to the spec's anchor alone. */
  | {readonly state: 'abandoned'; readonly actions: readonly RotationAction[]; readonly message: string}
  | {readonly state: 'refused'; readonly message: string; readonly hint: string}
