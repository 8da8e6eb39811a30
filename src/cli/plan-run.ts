import {planRequest, planSpec} from '../engine/plan.js'
import type {Plan} from '../plan/types.js'
import type {Sources} from '../render/diagnostics.js'
import {validateFile, type ValidationResult} from '../engine/validate.js'
import {buildProviders} from '../engine/estate.js'
import {resolveGcpTarget, selectedLayers} from './target.js'

export interface PlanRunInput {
  readonly file: string
  readonly color: boolean
  readonly offline?: boolean
  readonly sandbox?: boolean
  readonly 'gcp-endpoint'?: string
  readonly 'allow-unreachable'?: boolean
  readonly layer?: string | string[]
  readonly 'linkerd-cli'?: string
  /** Clusters read at once. */
  readonly parallelism?: number
  readonly target?: readonly string[]
  readonly replace?: readonly string[]
}

export type PlanRun = {readonly plan: Plan; readonly sources: Sources} | {readonly invalid: ValidationResult}

/**
 * Validate, read the estate (unless offline), plan, and always close the clients. An invalid spec
 * comes back as `invalid`, for the command to report in the format it was asked for.
 */
export async function planForCommand(input: PlanRunInput): Promise<PlanRun> {
  const layers = selectedLayers(input.layer)
  const validation = await validateFile(input.file)
  if (!validation.valid || !validation.spec) return {invalid: validation}
  const spec = validation.spec
  const providers = input.offline ? undefined : await buildProviders(spec, resolveGcpTarget(input), {specFile: input.file, layers, linkerdCli: input['linkerd-cli'], readParallelism: input.parallelism})
  try {
    const plan = await planSpec(
      planRequest(validation, {
        providers,
        allowUnreachable: input['allow-unreachable'],
        layers,
        targets: input.target,
        replace: input.replace,
      }),
    )
    return {plan, sources: validation.sources}
  } finally {
    await Promise.all((providers ?? []).map((p) => p.close()))
  }
}
