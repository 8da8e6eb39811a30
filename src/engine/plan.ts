import {dirname, join} from 'node:path'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {desiredGraph} from '../graph/desired.js'
import type {ObservedResource} from '../graph/resource.js'
import {plan} from '../plan/planner.js'
import type {Plan} from '../plan/types.js'
import {readAnchorCertificate} from '../providers/certs/anchor.js'
import type {FederationSpec} from '../spec/types.js'
import type {SourceMap} from '../spec/source-map.js'
import {mcfedVersion} from './version.js'

export interface PlanRequest {
  readonly file: string
  readonly spec: FederationSpec
  readonly sourceMap: SourceMap
  /** Validation warnings to carry into the plan. */
  readonly diagnostics: readonly Diagnostic[]
  /** `undefined` plans offline. */
  readonly observed?: readonly ObservedResource[]
  readonly fingerprints?: Readonly<Record<string, string>>
  /** Recorded in the plan; golden tests pin it so a release does not churn them. */
  readonly mcfedVersion?: string
}

/** Reads the anchor's public certificate, derives the desired graph and diffs it. */
export async function planSpec(req: PlanRequest): Promise<Plan> {
  const diagnostics = [...req.diagnostics]
  const certFile = req.spec.spec.linkerd.trustAnchor.certFile
  const anchorPath = join(dirname(req.file), certFile)
  const anchor = await readAnchorCertificate(anchorPath)
  if (!anchor.ok) {
    diagnostics.push({
      severity: 'warning',
      rule: 'certs/anchor-unreadable',
      message: `trust anchor certificate ${anchorPath} cannot be read (${anchor.reason}); issuer and trust-root fingerprints are known only after apply`,
      locations: [req.sourceMap.locate(['spec', 'linkerd', 'trustAnchor', 'certFile'])],
      hint: anchor.missing ? 'create the anchor with `mcfed certs init`, or point certFile at your existing anchor certificate' : 'certFile must hold one PEM certificate',
    })
  }
  return plan({
    federation: req.spec.metadata.name,
    project: req.spec.spec.gcp.project,
    mcfedVersion: req.mcfedVersion ?? mcfedVersion(),
    desired: desiredGraph(req.spec, anchor.ok ? anchor.facts : undefined),
    observed: req.observed,
    diagnostics,
    fingerprints: req.fingerprints,
  })
}
