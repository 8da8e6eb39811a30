import {planSpec} from '../engine/plan.js'
import type {Plan} from '../plan/types.js'
import type {Sources} from '../render/diagnostics.js'
import {validSpecOrReport} from './spec-input.js'
import {buildProviders, resolveGcpTarget, selectedLayers} from './target.js'

export interface PlanRunInput {
  readonly file: string
  readonly color: boolean
  readonly offline?: boolean
  readonly sandbox?: boolean
  readonly 'gcp-endpoint'?: string
  readonly 'allow-unreachable'?: boolean
  readonly layer?: string | string[]
  readonly 'linkerd-cli'?: string
  /** Names the stage in "… stopped: spec is invalid". */
  readonly what: string
}

/**
 * Validate, read the estate (unless offline), plan, and always close the clients. Returns
 * undefined when the spec is invalid; the diagnostics are already on stderr then.
 */
export async function planForCommand(input: PlanRunInput): Promise<{plan: Plan; sources: Sources} | undefined> {
  const layers = selectedLayers(input.layer)
  const validation = await validSpecOrReport(input.file, input.color, input.what)
  if (!validation) return undefined
  const spec = validation.spec!
  const providers = input.offline ? undefined : await buildProviders(spec, resolveGcpTarget(input), {specFile: input.file, layers, linkerdCli: input['linkerd-cli']})
  try {
    const plan = await planSpec({
      file: input.file,
      spec,
      sourceMap: validation.parsed.sourceMap,
      diagnostics: validation.diagnostics,
      providers,
      specText: validation.sources.get(input.file),
      allowUnreachable: input['allow-unreachable'],
      layers,
    })
    return {plan, sources: validation.sources}
  } finally {
    await Promise.all((providers ?? []).map((p) => p.close()))
  }
}
