import {stringify} from 'yaml'

import {ProviderError} from '../../../../diagnostics/errors.js'
import {cliProblem, runCli, type LinkerdCli} from './cli.js'
import {parseManifests, type Component, type KubeObject} from '../../../../linkerd/install/manifests.js'
import {CLI_OVERRIDES_SECRET, EXTERNAL_ISSUER_SCHEME} from '../../../../linkerd/install/values.js'
import {sha256, stableStringify} from '../../../../util/stable-json.js'

const ARGS: Readonly<Record<Component, readonly string[]>> = {
  crds: ['install', '--crds', '--ignore-cluster'],
  'control-plane': ['install', '--ignore-cluster', '-f', '-'],
  multicluster: ['multicluster', 'install', '--ignore-cluster', '-f', '-'],
}

/** A render was needed and no CLI of the spec's release could make it. */
export class CliUnavailable extends ProviderError {
  constructor(readonly cli: Extract<LinkerdCli, {ok: false}>) {
    super(cliProblem(cli), {hint: 'put the linkerd CLI of spec.linkerd.version on PATH, or pass --linkerd-cli'})
  }
}

/**
 * Renders components with Linkerd's own CLI, never reading a cluster (`--ignore-cluster`); values
 * go on standard input. The CLI is looked for (and its release checked) only when the first
 * render is asked for: a plan of an estate its render records vouch for runs it not at all.
 * Renders are kept for the run, keyed by component and values, so the same CRDs or extension
 * values render once however many clusters share them.
 */
export class ComponentRenderer {
  private readonly cache = new Map<string, Promise<KubeObject[]>>()
  /** CLI runs this renderer started (renders only; the release check is one more). */
  renders = 0

  constructor(private readonly cli: () => Promise<LinkerdCli>) {}

  /** The CLI, found and checked; throws CliUnavailable when there is none usable. */
  async cliPath(): Promise<string> {
    const cli = await this.cli()
    if (!cli.ok) throw new CliUnavailable(cli)
    return cli.path
  }

  render(component: Component, values?: Record<string, unknown>): Promise<KubeObject[]> {
    const input = values ? stringify(values) : undefined
    const key = `${component}\u0000${input ? sha256(stableStringify(values)) : ''}`
    let rendered = this.cache.get(key)
    if (!rendered) {
      rendered = this.cliPath().then((path) => {
        this.renders++
        return runCli(path, ARGS[component], input).then((text) => withoutCliOverrides(parseManifests(text), values))
      })
      this.cache.set(key, rendered)
    }
    return rendered
  }
}

/**
 * With an external issuer (GitOps mode) the render leaves out the one object the CLI adds beyond
 * the chart: the `linkerd-config-overrides` Secret, its record of the values for `linkerd upgrade`.
 * A Secret has no place in Git, nothing but that command reads it, and Helm installs (what an
 * engine does) never have it.
 */
function withoutCliOverrides(objects: KubeObject[], values: Record<string, unknown> | undefined): KubeObject[] {
  const issuer = (values?.identity as {issuer?: {scheme?: string}} | undefined)?.issuer
  if (issuer?.scheme !== EXTERNAL_ISSUER_SCHEME) return objects
  return objects.filter((o) => !(o.kind === 'Secret' && o.metadata.name === CLI_OVERRIDES_SECRET))
}
