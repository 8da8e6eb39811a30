import type {V1ConfigMap, V1Endpoints, V1Secret} from '@kubernetes/client-node'

import {CANARY, DESTINATION_SELECTOR, ISSUER_SECRET, LABEL, LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import {bundleCertificates, certificateFingerprint, parseCertificate, signerOf} from '../../certs/fingerprint.js'
import {secretValue} from '../secret-data.js'
import {liveTrustRoots} from './read-trust.js'
import type {FederationSpec} from '../../../spec/types.js'
import {readyEndpoints, sliceSelector, type EndpointSliceLike} from '../../../verify/endpoint-slices.js'
import type {ClusterMesh, EndpointsFacts} from '../../../verify/mesh-state.js'
import type {KubeClient} from '../client.js'
import {readPolicies} from '../../../linkerd/policy.js'
import {MODE_LABEL_KEYS, ownerSelector} from '../labels.js'
import {listPolicies, wantsPolicies} from '../listing.js'
import {destinationDeployment, rolledOut} from './destination-credentials.js'
import {probeLinkCredentials} from './probe-credentials.js'
import {gatewayFacts} from './gateway.js'
import {CONTROLLER_SELECTOR, isController} from './read.js'

const MIRRORED = 'mirror.linkerd.io/mirrored-service=true'
const REMOTE_DISCOVERY = 'multicluster.linkerd.io/remote-discovery'
const LOCAL_DISCOVERY = 'multicluster.linkerd.io/local-discovery'

/**
 * One cluster's mesh as Linkerd's controllers left it, in list calls only (read-only): mirror and
 * federated Services and their Endpoints, the Services carrying a mode label, Links, Leases,
 * controller Deployments, the gateway, the Endpoints of the gateway-mode services it exports, the
 * EndpointSlices of the spec's services that run here, and
 * per Link what its credentials are worth to its target (asked with the credentials themselves).
 */
export async function readMesh(client: KubeClient, spec: FederationSpec, cluster: string, probe: typeof probeLinkCredentials = probeLinkCredentials): Promise<ClusterMesh> {
  const gatewayNamespaces = [...new Set(Object.values(spec.spec.services).filter((s) => s.mode === 'gateway' && s.clusters.includes(cluster)).map((s) => s.namespace))]
  const running = Object.entries(spec.spec.services).filter(([, s]) => s.clusters.includes(cluster))
  const [mirrors, mirrorEndpoints, labelled, exportedEndpoints, slices, links, leases, controllers, extension, ownedSecrets, destination, policies, linkerdConfigMaps, issuer] = await Promise.all([
    client.listServices(undefined, MIRRORED),
    client.listEndpoints(undefined, MIRRORED),
    Promise.all(MODE_LABEL_KEYS.map((k) => client.listLabelledServices(k))),
    Promise.all(gatewayNamespaces.map((ns) => client.listEndpoints(ns))),
    running.length > 0 ? client.listObjects('discovery.k8s.io/v1', 'EndpointSlice', sliceSelector(running.map(([name]) => name))) : [],
    client.listLinks(MULTICLUSTER_NAMESPACE),
    client.listLeases(MULTICLUSTER_NAMESPACE),
    client.listDeployments(CONTROLLER_SELECTOR),
    client.listServices(MULTICLUSTER_NAMESPACE, `${LABEL.extension}=multicluster`),
    client.listSecrets(MULTICLUSTER_NAMESPACE, ownerSelector(spec)),
    client.listDeployments(DESTINATION_SELECTOR),
    listPolicies(client, ownerSelector(spec), wantsPolicies(spec, cluster)),
    client.listConfigMaps(LINKERD_NAMESPACE),
    client.readObject('v1', 'Secret', ISSUER_SECRET, LINKERD_NAMESPACE) as Promise<V1Secret | undefined>,
  ])
  const dest = destinationDeployment(destination)
  const exported = new Map(labelled.flat().map((s) => [`${s.metadata?.namespace}/${s.metadata?.name}`, s]))
  return {
    mirrors: mirrors.map((s) => {
      const a = s.metadata?.annotations ?? {}
      return {
        namespace: s.metadata?.namespace ?? '',
        name: s.metadata?.name ?? '',
        link: s.metadata?.labels?.[LABEL.clusterName],
        remoteMembers: (a[REMOTE_DISCOVERY] ?? '').split(',').filter(Boolean),
        localMember: a[LOCAL_DISCOVERY] || undefined,
        ...(a[CANARY.annotation] ? {canary: a[CANARY.annotation]} : {}),
      }
    }),
    mirrorEndpoints: mirrorEndpoints.map(endpointsFacts),
    exported: [...exported.values()].map((s) => ({
      namespace: s.metadata?.namespace ?? '',
      name: s.metadata?.name ?? '',
      labels: s.metadata?.labels ?? {},
      ...(s.metadata?.annotations?.[CANARY.annotation] ? {canary: s.metadata.annotations[CANARY.annotation]} : {}),
    })),
    exportedEndpoints: exportedEndpoints.flat().map(endpointsFacts),
    // Only the spec's services in the namespaces it names: a same-named Service elsewhere is not one of them.
    serviceEndpoints: readyEndpoints((slices ?? []) as EndpointSliceLike[]).filter((e) => running.some(([name, s]) => name === e.name && s.namespace === e.namespace)),
    links: (links ?? []).map((l) => ({
      name: l.metadata?.name ?? '',
      targetClusterName: typeof l.spec?.targetClusterName === 'string' ? l.spec.targetClusterName : undefined,
      gatewayAddress: typeof l.spec?.gatewayAddress === 'string' ? l.spec.gatewayAddress : undefined,
    })),
    leases: leases.map((l) => ({
      name: l.metadata?.name ?? '',
      holder: l.spec?.holderIdentity ?? '',
      renewTime: l.spec?.renewTime ? new Date(l.spec.renewTime as unknown as string).toISOString() : undefined,
      durationSeconds: l.spec?.leaseDurationSeconds,
    })),
    controllers: controllers.filter((d) => isController(d.metadata?.labels)).map((d) => ({namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '', link: d.metadata?.labels?.[LABEL.clusterName] ?? ''})),
    gateway: gatewayFacts(extension),
    credentials: await probe(links ?? [], ownedSecrets, dest),
    policies: readPolicies(policies),
    ...(dest ? {destinationRolledOut: rolledOut(dest)} : {}),
    ...meshTrust(linkerdConfigMaps, issuer),
  }
}

/** The anchors the trust roots hold and the one the issuer chains to (among them and its ca.crt). */
function meshTrust(configMaps: readonly V1ConfigMap[], issuer: V1Secret | undefined): Pick<ClusterMesh, 'trust'> {
  const roots = liveTrustRoots(configMaps)
  if (roots.length === 0) return {}
  const certPem = secretValue(issuer, 'crt.pem') ?? secretValue(issuer, 'tls.crt')
  const cert = parseCertificate(certPem)
  const signer = cert && signerOf(cert, [...roots, ...bundleCertificates(secretValue(issuer, 'ca.crt') ?? '')])
  return {trust: {anchors: roots.map(certificateFingerprint), ...(signer ? {issuerAnchor: certificateFingerprint(signer)} : {})}}
}

function endpointsFacts(e: V1Endpoints): EndpointsFacts {
  const expand = (addresses: {ip?: string}[] | undefined, ports: {port?: number}[] | undefined) =>
    (addresses ?? []).flatMap((a) => (ports?.length ? ports.map((p) => `${a.ip}:${p.port}`) : [`${a.ip}`]))
  return {
    namespace: e.metadata?.namespace ?? '',
    name: e.metadata?.name ?? '',
    ready: (e.subsets ?? []).flatMap((s) => expand(s.addresses, s.ports)),
    notReady: (e.subsets ?? []).flatMap((s) => expand(s.notReadyAddresses, s.ports)),
  }
}
