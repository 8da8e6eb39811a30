import type {Diagnostic} from '../diagnostics/diagnostic.js'
import type {Json, ResourceKind} from '../graph/resource.js'

/**
 * The plan is plain, versioned data (schemas/plan.schema.json). Renderers read only this, so a
 * saved plan re-renders without providers. Field names are snake_case because this *is* the JSON.
 */
export const PLAN_FORMAT_VERSION = '1.5'

export type Action = 'no-op' | 'create' | 'update' | 'delete' | 'replace'
export type ReplaceOrder = 'delete-then-create' | 'create-then-delete'

/** Value written in place of anything sensitive, in every format. */
export const SENSITIVE = '(sensitive)'

export interface AttributeChange {
  readonly path: string
  /** Absent when the attribute did not exist before (or is sensitive). */
  readonly before?: Json
  /** Absent when unknown until apply, removed, or sensitive. */
  readonly after?: Json
  readonly after_unknown?: true
  readonly sensitive?: true
  readonly forces_replacement?: true
  /** For a list of plain values: the elements the change adds and removes (since 1.4). */
  readonly added?: readonly Json[]
  readonly removed?: readonly Json[]
}

/** One Kubernetes object inside a component (`linkerd_control_plane.west`): what applying its render does to it. */
export interface ObjectChange {
  readonly action: 'create' | 'update' | 'delete'
  /** `Deployment linkerd/linkerd-destination`. */
  readonly object: string
  /** An update's fields; Secret data is masked. */
  readonly changes?: readonly AttributeChange[]
}

/**
 * One resource's planned change. `before`/`after` by action:
 *   create  — before null, after the desired attributes;
 *   update  — both present, `changes` lists the attributes that differ;
 *   replace — both present, `replace_paths` and `reason` say why;
 *   delete  — before present, after null;
 *   no-op   — both present and equal.
 * `reason` and `replace_paths` are for people; apply never reads them.
 */
export interface ResourceChange {
  readonly address: string
  readonly kind: ResourceKind
  readonly name: string
  readonly cluster: string
  readonly action: Action
  readonly replace_order?: ReplaceOrder
  readonly reason?: string
  /** A knock-on replacement: the replaced resource this one dies with (since 1.3). */
  readonly replaced_with?: string
  readonly replace_paths?: readonly string[]
  /** Destroys a network, subnet or cluster: apply refuses without --allow-destroy. */
  readonly guarded?: true
  readonly before: {readonly [key: string]: Json} | null
  readonly after: {readonly [key: string]: Json} | null
  readonly after_unknown: readonly string[]
  readonly sensitive: readonly string[]
  readonly changes: readonly AttributeChange[]
  readonly depends_on: readonly string[]
  /** For a component rendered by Linkerd's CLI: its objects that this change creates, updates or prunes. */
  readonly object_changes?: readonly ObjectChange[]
}

export interface PlanSummary {
  readonly add: number
  readonly change: number
  readonly replace: number
  readonly destroy: number
  readonly no_op: number
}

export interface Plan {
  readonly format_version: string
  readonly mcfed_version: string
  readonly federation: string
  readonly project: string
  /** `offline`: nothing was read, the plan creates everything. `live`: planned against the estate. */
  readonly mode: 'offline' | 'live'
  /** False when an error diagnostic means apply must not run this plan. */
  readonly applyable: boolean
  readonly summary: PlanSummary
  /** In dependency order: a resource comes after everything it depends on. */
  readonly resource_changes: readonly ResourceChange[]
  readonly diagnostics: readonly Diagnostic[]
  /** Clusters whose API could not be read: their resources are unknown and left out of the plan. */
  readonly unreachable: readonly string[]
  /** Digests of what was read, per source; apply of a saved plan refuses when they moved. */
  readonly fingerprints: Readonly<Record<string, string>>
  /** Present when the plan is partial: the `--target` addresses it was narrowed to. */
  readonly targets?: readonly string[]
}

export function hasChanges(plan: Plan): boolean {
  const s = plan.summary
  return s.add + s.change + s.replace + s.destroy > 0 || plan.diagnostics.some((d) => d.drift)
}
