import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {subnetworkName} from '../../graph/names.js'
import {lastSegment, parseMarker} from '../../graph/ownership.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {clusterNames} from '../../graph/topology.js'
import type {ListedSubnetwork} from '../../providers/gcp/listed-fields.js'
import {changed, compute, networkRef, str, stepTarget} from '../../providers/gcp/mutation.js'
import {withRetry} from '../../providers/gcp/retry.js'
import type {FederationSpec} from '../../spec/types.js'
import {overlaps, parseCidr} from '../../util/cidr.js'
import {gcpKind, type GcpKind} from './gcp-kind.js'

export const gcpSubnetwork: GcpKind<'gcp_subnetwork'> = gcpKind('gcp_subnetwork', {
  lists: ['subnetworks', 'networks'],

  observe({subnetworks}, {spec, federation, networkClusters, inHost}) {
    const wanted = new Map(clusterNames(spec).map((c) => [`${spec.spec.clusters[c]!.region}/${subnetworkName(spec, c)}`, c]))
    const resources: ObservedResource[] = []
    const diagnostics: Diagnostic[] = []
    for (const s of subnetworks) {
      const marker = parseMarker(s.description)
      const region = lastSegment(s.region)
      const ours = marker?.federation === federation
      const cluster = ours ? marker.cluster : wanted.get(`${region}/${s.name}`)
      if (!cluster) {
        diagnostics.push(...foreignOverlaps(spec, networkClusters, s))
        continue
      }
      resources.push({
        address: address('gcp_subnetwork', cluster),
        kind: 'gcp_subnetwork',
        name: cluster,
        cluster,
        owned: ours,
        dependsOn: [address('gcp_network', cluster)],
        attributes: {
          name: s.name ?? '',
          network: lastSegment(s.network),
          region,
          ip_cidr_range: s.ipCidrRange ?? '',
          secondary_ip_ranges: Object.fromEntries((s.secondaryIpRanges ?? []).map((r) => [r.rangeName ?? '', r.ipCidrRange ?? ''])),
          private_ip_google_access: Boolean(s.privateIpGoogleAccess),
          description: s.description ?? '',
          fingerprint: s.fingerprint ?? null,
          ...inHost,
        },
      })
    }
    return {resources, diagnostics}
  },

  async mutate(step, m, c) {
    const {ctx, a, project} = stepTarget(step, m, c)
    const {clients} = ctx
    const region = str(a.region)
    const subnetwork = str(a.name)
    if (m === 'create') {
      const ranges = (a.secondary_ip_ranges ?? {}) as Record<string, string>
      return compute(ctx, c.address, (requestId) =>
        clients.subnetworks.insert({
          project,
          region,
          requestId,
          subnetworkResource: {
            name: subnetwork,
            network: networkRef(project, a.network),
            ipCidrRange: str(a.ip_cidr_range),
            secondaryIpRanges: Object.entries(ranges).map(([rangeName, ipCidrRange]) => ({rangeName, ipCidrRange})),
            privateIpGoogleAccess: Boolean(a.private_ip_google_access),
            description: str(a.description),
          },
        }),
      )
    }
    if (m === 'delete') return compute(ctx, c.address, (requestId) => clients.subnetworks.delete({project, region, subnetwork, requestId}))
    if (changed(c, 'private_ip_google_access')) {
      await compute(ctx, c.address, (requestId) =>
        clients.subnetworks.setPrivateIpGoogleAccess({
          project,
          region,
          subnetwork,
          requestId,
          subnetworksSetPrivateIpGoogleAccessRequestResource: {privateIpGoogleAccess: Boolean(a.private_ip_google_access)},
        }),
      )
    }
    if (changed(c, 'description')) {
      // PATCH needs the current fingerprint; a stale one is 412, so read it right before.
      await withRetry(async () => {
        const [current] = await clients.subnetworks.get({project, region, subnetwork})
        await compute(ctx, c.address, (requestId) => clients.subnetworks.patch({project, region, subnetwork, requestId, subnetworkResource: {fingerprint: current.fingerprint, description: str(a.description)}}))
      }, ctx.retry)
    }
  },
})

/** A subnet mcfed does not manage, inside one of its networks, whose ranges collide with the spec's. */
function foreignOverlaps(spec: FederationSpec, networkClusters: ReadonlyMap<string, string>, s: ListedSubnetwork): Diagnostic[] {
  const owner = networkClusters.get(lastSegment(s.network))
  if (!owner) return []
  const theirs = [s.ipCidrRange, ...(s.secondaryIpRanges ?? []).map((r) => r.ipCidrRange)].map((t) => parseCidr(t ?? '')).filter((p) => p.ok)
  const out: Diagnostic[] = []
  for (const [cluster, c] of Object.entries(spec.spec.clusters)) {
    for (const range of [c.network.subnet, c.network.pods, c.network.services]) {
      const mine = parseCidr(range)
      if (!mine.ok) continue
      const hit = theirs.find((t) => t.ok && overlaps(t.cidr, mine.cidr))
      if (!hit || !hit.ok) continue
      out.push({
        severity: 'error',
        rule: 'cidr/live-overlap',
        message: `subnet ${s.name} in network ${lastSegment(s.network)} (not managed by mcfed) uses ${hit.cidr.text}, which overlaps ${range} of ${cluster}`,
        locations: [],
        addresses: [address('gcp_network', owner)],
        hint: 'peered networks exchange every subnet route; move the spec range or the foreign subnet',
      })
    }
  }
  return out
}
