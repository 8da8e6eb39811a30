import type {Diagnostic, SourceLocation} from '../diagnostics/diagnostic.js'
import {PHASES, type RotationStep} from './types.js'

const short = (fingerprint: string) => fingerprint.replace(/^sha256:/, '').slice(0, 12)

/**
 * What a plan says of a rotation: its phase, what this apply does, and what gates the next phase.
 * A refusal is an error, so nothing is applied; everything else is said once, as a warning.
 */
export function stepDiagnostics(step: RotationStep, location: readonly SourceLocation[]): Diagnostic[] {
  if (step.state === 'none') return []
  if (step.state === 'refused') return [{severity: 'error', rule: 'certs/rotation-refused', message: `trust-anchor rotation refused: ${step.message}`, locations: location, hint: step.hint}]
  if (step.state === 'complete') return [{severity: 'warning', rule: 'certs/rotation-complete', message: step.message, locations: location}]
  if (step.state === 'abandoned') return [{severity: 'warning', rule: 'certs/rotation-abandoned', message: step.message, locations: location}]
  const n = PHASES.indexOf(step.phase) + 1
  const doing = step.actions.length > 0 ? `this apply ${describe(step)}` : 'nothing to apply until the gate holds'
  return [
    {
      severity: 'warning',
      rule: 'certs/rotation-phase',
      message: `trust-anchor rotation ${short(step.from)} → ${short(step.to)}: phase ${n} of ${PHASES.length} (${step.phase}); ${doing}; the next phase waits until ${step.gate}`,
      locations: location,
      // The estate is not yet what the spec says (it names next): drift, even while a gate is waited for.
      drift: true,
      ...(step.destructive ? {hint: 'the drop removes the old anchor from every trust bundle: apply it with --allow-destroy'} : {hint: 'apply, then plan again: each apply takes one phase as far as it can'}),
    },
  ]
}

function describe(step: Extract<RotationStep, {state: 'rotating'}>): string {
  const clusters = (kind: string) => [...new Set(step.actions.filter((a) => a.kind === kind).map((a) => a.cluster))]
  const parts = [
    ['write-bundle', 'writes trust roots in'],
    ['reissue-issuer', 're-issues the issuer of'],
    ['restart-control-plane', 'restarts the control plane of'],
    ['restart-workloads', 'restarts meshed workloads in'],
  ].flatMap(([kind, verb]) => {
    const cs = clusters(kind!)
    return cs.length > 0 ? [`${verb} ${cs.join(', ')}`] : []
  })
  return parts.length > 0 ? parts.join('; ') : 'records the phase'
}
