import {LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE, WEBHOOK_TLS} from '../linkerd/names.js'
import {controlPlaneSettings, multiclusterValues} from '../linkerd/install/values.js'
import {edgeRelease} from '../linkerd/versions.js'
import type {FederationSpec} from '../spec/types.js'
import type {ClusterFacts, RenderFacts} from './facts.js'
import {NO_INPUTS, address, type Attributes, type DesiredResource, type Json} from './resource.js'
import {gatewayClusters, linksFrom} from './topology.js'

/**
 * What `install: mcfed` adds per cluster: the webhook certificates mcfed issues, and the three
 * components Linkerd's CLI renders (CRDs → control plane → multicluster). A component's objects
 * come from the render the providers made for this plan; without one (offline, or no CLI) they
 * are known after apply.
 */
export function desiredInstall(spec: FederationSpec, cluster: string, facts: ClusterFacts | undefined, trustAnchors: readonly string[] | null): DesiredResource[] {
  const gke = address('gke_cluster', cluster)
  const crds = address('linkerd_crds', cluster)
  const webhook = address('linkerd_webhook_tls', cluster)
  const issuer = address('linkerd_issuer', cluster)
  const controlPlane = address('linkerd_control_plane', cluster)
  const version = edgeRelease(spec.spec.linkerd.version) ?? spec.spec.linkerd.version
  const install = facts?.install
  const consumed = (linksFrom(spec).get(cluster) ?? []).map((l) => l.name)
  const base = {cluster, name: cluster, replacedWith: [gke]}
  return [
    {...base, address: crds, kind: 'linkerd_crds', ...component({version}, install?.crds), inputs: NO_INPUTS, dependsOn: [gke]},
    {
      ...base,
      address: webhook,
      kind: 'linkerd_webhook_tls',
      attributes: {namespace: LINKERD_NAMESPACE, secrets: WEBHOOK_TLS.map((w) => w.secret), ca_fingerprint: null, not_after: null, valid_beyond_renew_before: true},
      unknown: ['ca_fingerprint', 'not_after'],
      inputs: NO_INPUTS,
      dependsOn: [gke],
    },
    {
      ...base,
      address: controlPlane,
      kind: 'linkerd_control_plane',
      ...component(
        {
          version,
          namespace: LINKERD_NAMESPACE,
          trust_anchors: trustAnchors ? [...trustAnchors] : null,
          issuer_certificate: install?.issuerCertificate ?? null,
          webhook_ca: install?.webhookCa ?? null,
          values: controlPlaneSettings(spec, cluster) as Json,
        },
        install?.controlPlane,
        [...(trustAnchors ? [] : ['trust_anchors']), ...(install?.issuerCertificate ? [] : ['issuer_certificate']), ...(install?.webhookCa ? [] : ['webhook_ca'])],
      ),
      // A new issuer or webhook CA changes what the control plane renders: known after apply.
      inputs: {issuer_certificate: issuer, webhook_ca: webhook},
      dependsOn: [crds, webhook, issuer],
    },
    {
      ...base,
      address: address('linkerd_multicluster', cluster),
      kind: 'linkerd_multicluster',
      ...component(
        {version, namespace: MULTICLUSTER_NAMESPACE, gateway: gatewayClusters(spec).has(cluster), controllers: consumed, values: multiclusterValues(spec, cluster) as Json},
        install?.multicluster,
      ),
      inputs: NO_INPUTS,
      dependsOn: [controlPlane],
    },
  ]
}

function component(attributes: Attributes, render: RenderFacts | undefined, unknown: string[] = []): {attributes: Attributes; unknown: string[]} {
  return {
    attributes: {...attributes, objects: render ? {...render.objects} : null, api_versions: render ? {...render.apiVersions} : null},
    unknown: render ? unknown : [...unknown, 'objects', 'api_versions'],
  }
}
