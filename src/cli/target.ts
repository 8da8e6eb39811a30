import {Flags} from '@oclif/core'

import {UserError} from '../diagnostics/errors.js'
import type {GcpTarget} from '../providers/gcp/client.js'
import {readSandboxInfo} from '../sandbox/paths.js'
import {isAlive} from '../util/process.js'
import type {Layer} from '../model/kind-schema.js'
import {LAYERS, SELECTABLE_LAYERS} from '../model/kinds.js'
import {DEFAULT_READ_PARALLELISM} from '../engine/estate.js'

export {LAYERS}
export type {Layer}

export const targetFlags = {
  layer: Flags.string({
    description: 'plan and change only these layers (default: all); e.g. --layer gcp for the network team, --layer credentials for what GitOps mode keeps in the secret store',
    options: [...SELECTABLE_LAYERS],
    multiple: true,
    env: 'MCFED_LAYERS',
    delimiter: ',',
    helpGroup: 'TARGET',
  }),
  'allow-unreachable': Flags.boolean({
    description: 'plan the reachable clusters when some cluster API cannot be read (its state stays unknown and is left out)',
    helpGroup: 'TARGET',
  }),
  sandbox: Flags.boolean({
    description: 'target the running `mcfed sandbox` instead of Google Cloud (or set MCFED_SANDBOX=1)',
    env: 'MCFED_SANDBOX',
    helpGroup: 'TARGET',
  }),
  'linkerd-cli': Flags.string({
    description: 'the linkerd CLI that renders Linkerd\'s manifests, of the release spec.linkerd.version names (default: MCFED_LINKERD_CLI, else `linkerd` on PATH)',
    helpGroup: 'TARGET',
  }),
  'gcp-endpoint': Flags.string({
    description: 'base URL of a GCP API simulator, e.g. http://127.0.0.1:8089 (or set MCFED_GCP_ENDPOINT)',
    env: 'MCFED_GCP_ENDPOINT',
    helpGroup: 'TARGET',
  }),
}

/** How many clusters a read-only command reads at once (apply's own --parallelism bounds its reads too). */
export const readFlags = {
  parallelism: Flags.integer({
    description: `how many clusters are read at once (default ${DEFAULT_READ_PARALLELISM}); every cluster is read, at most this many concurrently`,
    min: 1,
    max: 1000,
    helpGroup: 'TARGET',
  }),
}

/** Terraform's resource selection, for plan, apply, destroy and drift. */
export const selectionFlags = {
  target: Flags.string({
    description: 'plan only this resource and what it depends on (repeatable; an address as the plan prints it, e.g. gke_cluster.west); the plan says it is partial',
    multiple: true,
    helpGroup: 'TARGET',
  }),
}

export const replaceFlag = {
  replace: Flags.string({
    description: 'replace this resource although nothing forces it, e.g. --replace linkerd_issuer.west to re-issue one cluster\'s issuer (repeatable)',
    multiple: true,
    helpGroup: 'TARGET',
  }),
}

/** Google Cloud through Application Default Credentials, or the local simulator. */
export function resolveGcpTarget(flags: {sandbox?: boolean; 'gcp-endpoint'?: string}): GcpTarget {
  if (flags['gcp-endpoint']) return {kind: 'sandbox', url: flags['gcp-endpoint']}
  if (flags.sandbox) {
    const info = readSandboxInfo()
    if (!info || !isAlive(info.pid)) throw new UserError('no mcfed sandbox is running', 'start one with `mcfed sandbox up`')
    return {kind: 'sandbox', url: info.gcp.endpoint}
  }
  return {kind: 'gcp'}
}

/** `--layer` values, whether oclif gives them as a list (flags) or one comma-separated string (MCFED_LAYERS). */
export function selectedLayers(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  const unknown = list.filter((l) => !SELECTABLE_LAYERS.includes(l))
  if (unknown.length > 0) throw new UserError(`unknown layer ${unknown.join(', ')}`, `layers are ${SELECTABLE_LAYERS.join(', ')}`)
  return list.length > 0 ? list : undefined
}
