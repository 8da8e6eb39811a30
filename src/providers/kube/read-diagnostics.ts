import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import type {ResourceKind} from '../../graph/resource.js'
import {kubeKinds} from '../../kinds/registry.js'
import type {FederationSpec} from '../../spec/types.js'
import {reasonOf} from './client.js'
import {cliProblem, type LinkerdCli} from './linkerd/install/cli.js'

/** What `install: mcfed` plans per cluster; all of it waits for a usable linkerd CLI. */
const INSTALL_KINDS: readonly ResourceKind[] = ['linkerd_crds', 'linkerd_webhook_tls', 'linkerd_issuer', 'linkerd_control_plane', 'linkerd_multicluster']

/** The store could not be read: credentials are then known from the clusters alone, as before the engine synced them. */
export function storeUnreadable(e: unknown): Diagnostic {
  return {
    severity: 'warning',
    rule: 'gitops/store-unreadable',
    message: `the secret store could not be read (${(e as Error).message.split('\n')[0]}); link credentials are planned from what the clusters hold, so generations the engine has not synced yet look missing`,
    locations: [],
    hint: 'give mcfed access to Secret Manager in spec.gcp.project (or --gcp-endpoint for the sandbox)',
  }
}

/** In GitOps mode the issuer and webhook certificates go to the store, not into a render: only the components wait for a CLI. */
export function blockedWithoutCli(spec: FederationSpec): readonly ResourceKind[] {
  return spec.spec.gitops ? INSTALL_KINDS.filter((k) => k !== 'linkerd_issuer' && k !== 'linkerd_webhook_tls') : INSTALL_KINDS
}

/** One warning for the whole plan: the components it blocks are left out, everything else still plans. */
export function cliMissing(cli: Extract<LinkerdCli, {ok: false}>, clusters: readonly string[], blocked: readonly ResourceKind[]): Diagnostic {
  const problem = cliProblem(cli)
  return {
    severity: 'warning',
    rule: 'linkerd/cli-missing',
    message: `${problem}; this blocks ${blocked.join(', ')} in ${clusters.join(', ')}, and the Links that need them; they are left out of this plan`,
    locations: [],
    hint: `install the linkerd CLI ${cli.needed} (https://linkerd.io/2/getting-started/) and put it on PATH, or point --linkerd-cli / MCFED_LINKERD_CLI at it; or set spec.linkerd.install: external and install Linkerd yourself`,
  }
}

/** A cluster that did not answer: its state is unknown, which a plan must never read as "no changes". */
export function unreachable(cluster: string, e: unknown): Diagnostic {
  return {
    severity: 'error',
    rule: 'kube/unreachable',
    message: `cluster ${cluster} is unreachable (${unreachableReason(e)}): its ${kubeKinds().map((k) => k.kind).join(', ')} state is unknown, not "no changes"`,
    locations: [],
    hint: 'check the endpoint and credentials; pass --allow-unreachable to plan the other clusters anyway',
  }
}

/** Why a cluster could not be read: a timed-out request says so plainly, anything else in the API's words. */
export function unreachableReason(e: unknown): string {
  const name = (e as Error)?.name
  return name === 'AbortError' || name === 'TimeoutError' || /aborted/i.test(reasonOf(e)) ? 'no answer within 15s' : reasonOf(e)
}
