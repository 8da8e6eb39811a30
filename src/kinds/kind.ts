import type {Diagnostic} from '../diagnostics/diagnostic.js'
import type {ObservedResource} from '../graph/resource.js'

/** What a kind's read mapping found: its resources, and what the user should hear about them. */
export interface Observation {
  readonly resources: ObservedResource[]
  readonly diagnostics: Diagnostic[]
}

export const EMPTY_OBSERVATION: Observation = {resources: [], diagnostics: []}

/** Gathers observations from several kinds into one. */
export function mergeObservations(parts: readonly Observation[]): Observation {
  return {resources: parts.flatMap((p) => p.resources), diagnostics: parts.flatMap((p) => p.diagnostics)}
}
