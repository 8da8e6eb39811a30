import {X509Certificate} from 'node:crypto'

import type {KubernetesObject, V1ConfigMap} from '@kubernetes/client-node'

import {LABEL, LINKERD_NAMESPACE, ROTATION_RECORD, TRUST_ROOTS_CONFIG_MAP, TRUST_ROOTS_KEY} from '../../../linkerd/names.js'
import {RECORD_ATTRIBUTES} from '../../../rotation/record-attributes.js'
import type {ClusterTrustFacts, RotationRecord} from '../../../rotation/types.js'
import {bundleCertificates, certificateFingerprint, signerOf} from '../../certs/fingerprint.js'
import type {KubeClient} from '../client.js'
import {liveIssuer} from './install/certificates.js'
import type {ClusterListing} from '../listing.js'

export const ROTATION_PHASE_ANNOTATION = 'mcfed.io/rotation-phase'

/** Every proxy-injected pod carries it (the control plane's too): Linkerd's injector sets it. */
export const MESHED_POD_SELECTOR = 'linkerd.io/control-plane-ns'

const RECORD_FIELDS = Object.keys(RECORD_ATTRIBUTES) as (keyof RotationRecord)[]

/** The trust roots the cluster's control plane reads (the ConfigMap `linkerd install` renders, or mcfed wrote). */
export function liveTrustRoots(configMaps: readonly V1ConfigMap[]): X509Certificate[] {
  return bundleCertificates(configMaps.find((c) => c.metadata?.name === TRUST_ROOTS_CONFIG_MAP)?.data?.[TRUST_ROOTS_KEY] ?? '')
}

export function rotationRecordOf(configMaps: readonly V1ConfigMap[]): RotationRecord | undefined {
  const data = configMaps.find((c) => c.metadata?.name === ROTATION_RECORD)?.data
  if (!data?.next || !data.from) return undefined
  return Object.fromEntries(RECORD_FIELDS.filter((f) => data[f]).map((f) => [f, data[f]])) as unknown as RotationRecord
}

export function rotationRecordData(record: RotationRecord): Record<string, string> {
  return Object.fromEntries(RECORD_FIELDS.filter((f) => record[f] !== undefined).map((f) => [f, record[f]!]))
}

/**
 * Whether this cluster's rotation facts need its pods: only while a rotation is wanted or under way
 * (a record, a bundle of more than the spec's anchor). A steady-state plan reads no pods.
 */
export function rotationUnderWay(listing: Pick<ClusterListing, 'linkerdConfigMaps'>, current: string | undefined, next: string | undefined): boolean {
  if (next !== undefined || rotationRecordOf(listing.linkerdConfigMaps)) return true
  const roots = liveTrustRoots(listing.linkerdConfigMaps).map(certificateFingerprint)
  return roots.length > 1 || (current !== undefined && roots.length === 1 && roots[0] !== current)
}

interface PodObject extends KubernetesObject {
  status?: {phase?: string}
}

/** Meshed pods and the control plane's, in one LIST (both carry the injector's label). */
export async function listMeshedPods(client: KubeClient): Promise<PodObject[]> {
  return ((await client.listObjects('v1', 'Pod', MESHED_POD_SELECTOR)) ?? []) as PodObject[]
}

/**
 * What the rotation's phase machine reads of one cluster. A pod's creation time stands for its
 * start: the injector wrote the trust roots into it then (LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS,
 * charts/partials/templates/_proxy.tpl, edge-25.10.7), and its proxy asks identity for a
 * certificate only after it. Pods on their way out are no longer counted.
 */
export function trustFacts(listing: Pick<ClusterListing, 'linkerdConfigMaps' | 'trustSecrets'>, pods: readonly PodObject[], anchors: readonly X509Certificate[]): {facts: ClusterTrustFacts; pems: Map<string, string>} {
  const roots = liveTrustRoots(listing.linkerdConfigMaps)
  const pems = new Map(roots.map((c) => [certificateFingerprint(c), c.toString()]))
  const issuer = liveIssuer(listing.trustSecrets)
  let issuerAnchor: string | undefined
  if (issuer) {
    try {
      const cert = new X509Certificate(issuer.certPem)
      const signer = signerOf(cert, [...anchors, ...roots])
      issuerAnchor = signer ? certificateFingerprint(signer) : 'unknown'
    } catch {
      issuerAnchor = 'unknown'
    }
  }
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
  const isControlPlane = (p: PodObject) => p.metadata?.namespace === LINKERD_NAMESPACE && !!p.metadata.labels?.[LABEL.controlPlaneComponent]
  const started = (p: PodObject) => new Date(p.metadata?.creationTimestamp ?? 0).toISOString()
  const controlPlane = live.filter(isControlPlane).map(started).sort()
  const record = rotationRecordOf(listing.linkerdConfigMaps)
  return {
    facts: {
      reachable: true,
      bundle: roots.map(certificateFingerprint),
      ...(controlPlane.length > 0 ? {controlPlane: {firstStartedAt: controlPlane[0]!, lastStartedAt: controlPlane[controlPlane.length - 1]!}} : {}),
      ...(issuerAnchor ? {issuerAnchor} : {}),
      meshedPodStarts: live.filter((p) => !isControlPlane(p)).map(started),
      ...(record ? {record} : {}),
    },
    pems,
  }
}
