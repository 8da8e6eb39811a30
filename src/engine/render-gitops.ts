import {dirname, join} from 'node:path'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {desiredGraph} from '../graph/desired.js'
import {NO_FACTS, type EstateFacts} from '../graph/facts.js'
import {clusterNames} from '../graph/topology.js'
import {renderTree, type Tree} from '../gitops/tree.js'
import {readAnchorCertificate} from '../providers/certs/anchor.js'
import {ownerLabels} from '../providers/kube/labels.js'
import type {Provider} from '../providers/types.js'
import type {FederationSpec} from '../spec/types.js'
import {renderComponents, type ComponentSources} from './gitops-components.js'
import {readEstate} from './plan.js'

export interface GitopsRenderRequest {
  readonly file: string
  readonly spec: FederationSpec
  /** Read the estate (gateway addresses, credential generations in use) through these; else render from the spec alone. */
  readonly providers?: readonly Provider[]
  /** `install: mcfed`: the CLI and the secret store Linkerd's components are rendered with. */
  readonly components?: ComponentSources
}

export interface GitopsRender {
  readonly files: Tree
  readonly diagnostics: Diagnostic[]
}

/**
 * The spec's GitOps tree: the desired graph (shaped by what the estate tells, when read) as the
 * objects each cluster's engine applies. Reads the trust anchors' public certificates only.
 */
export async function renderGitops(req: GitopsRenderRequest): Promise<GitopsRender> {
  const {spec} = req
  const gitops = spec.spec.gitops
  if (!gitops) throw new Error('renderGitops: the spec has no spec.gitops')
  const anchors = await readAnchors(req.file, spec)
  let facts: EstateFacts = NO_FACTS
  const diagnostics: Diagnostic[] = []
  if (req.providers) {
    const estate = await readEstate(req.providers, spec)
    facts = estate.facts
    // An unread cluster fails the render: from missing facts it would move Links back to generation 1.
    diagnostics.push(...estate.diagnostics)
  }
  const primary = [...anchors.values()][0]
  const desired = desiredGraph(spec, primary?.facts, facts)
  const owner = ownerLabels(spec)
  const anchorPem = (fp: string) => [...anchors.values()].find((a) => a.facts.fingerprint === fp)?.pem
  const components = spec.spec.linkerd.install === 'mcfed' ? await renderComponents(spec, desired, owner, anchorPem, req.components ?? {}) : undefined
  const tree = renderTree(spec.metadata.name, gitops, clusterNames(spec), desired, {
    federation: spec.metadata.name,
    owner,
    store: gitops.secretStore,
    anchorPem,
    ...(components ? {components: (c: string) => components.get(c) ?? {rendered: {}, notRendered: {}, values: {}}} : {}),
  })
  return {files: tree.files, diagnostics: [...diagnostics, ...tree.diagnostics]}
}

type ReadAnchor = {pem: string; facts: {fingerprint: string; notAfter: string}}

/** The spec's anchor and, during a rotation, the next one, by file; unreadable ones left out (the trust-roots ConfigMap then says why it is not rendered). */
async function readAnchors(file: string, spec: FederationSpec): Promise<Map<string, ReadAnchor>> {
  const out = new Map<string, ReadAnchor>()
  const {trustAnchor} = spec.spec.linkerd
  for (const certFile of [trustAnchor.certFile, ...(trustAnchor.next ? [trustAnchor.next.certFile] : [])]) {
    const read = await readAnchorCertificate(join(dirname(file), certFile))
    if (read.ok) out.set(certFile, {pem: read.pem, facts: read.facts})
  }
  return out
}
