import type {Diagnostic} from '../diagnostics/diagnostic.js'
import type {DesiredResource, ObservedResource} from '../graph/resource.js'
import {inLayers, kindSchema, providerLayers} from '../model/kinds.js'
import type {ResourceKind} from '../graph/resource.js'

const kindOf = (address: string) => address.slice(0, address.indexOf('.')) as ResourceKind

/** Linkerd's rendered components: a run without the kube layer does not read them (that needs the CLI), so their absence says nothing. */
const UNREAD_WITHOUT_KUBE: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['linkerd_crds', 'linkerd_control_plane', 'linkerd_multicluster'])

/**
 * Resources of a `--layer` selection that cannot be made yet: something they depend on is outside
 * the selection (someone else writes it: in GitOps mode, the engine) and was read not to exist. A
 * link's token in `--layer credentials` waits for the engine to sync its target's remote-access
 * ServiceAccount; minting against a missing one would fail half-way through the apply. Only
 * dependencies whose layer was read count: an unread GCP cluster is not a missing one.
 */
export function waitingOnUnselected(selected: readonly DesiredResource[], observed: readonly ObservedResource[], layers: readonly string[]): {held: Set<string>; diagnostics: Diagnostic[]} {
  const read = providerLayers(layers) as readonly string[]
  const unread = (kind: ResourceKind) => !read.includes(kindSchema(kind).layer) || (!layers.includes('kube') && UNREAD_WITHOUT_KUBE.has(kind))
  const present = new Set([...selected.map((r) => r.address), ...observed.map((o) => o.address)])
  const held = new Set<string>()
  const waitingFor = new Set<string>()
  for (const r of selected) {
    const missing = r.dependsOn.filter((d) => !present.has(d) && !inLayers(kindOf(d), layers) && !unread(kindOf(d)))
    const after = r.dependsOn.some((d) => held.has(d))
    if (missing.length === 0 && !after) continue
    held.add(r.address)
    for (const d of missing) waitingFor.add(d)
  }
  if (held.size === 0) return {held, diagnostics: []}
  const shown = [...waitingFor].sort()
  return {
    held,
    diagnostics: [
      {
        severity: 'warning',
        rule: 'plan/waiting-outside-selection',
        message: `${held.size} resources wait for ${shown.length} they depend on that this selection does not write and that do not exist yet (${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ', …' : ''})`,
        locations: [],
        addresses: [...held].sort(),
        hint: 'in GitOps mode: let the engine sync the clusters\' trees (render first if they lack these), then apply --layer credentials again',
      },
    ],
  }
}
