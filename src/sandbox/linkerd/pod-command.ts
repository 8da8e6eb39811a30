import type {V1Container, V1Pod} from '@kubernetes/client-node'

/**
 * The containers of Linkerd's controller image the sandbox runs as local processes: the
 * destination controller (remote discovery, federated services) and the service mirror (one per
 * Link, and the local mirror). The other containers of those pods (the proxy, the Rust policy
 * controller, the validators) serve traffic and admission, which the sandbox has none of.
 */
export const RUN_SUBCOMMANDS = ['destination', 'service-mirror'] as const
export type ControllerSubcommand = (typeof RUN_SUBCOMMANDS)[number]

/** One container to run, as the pod describes it. */
export interface ControllerContainer {
  readonly namespace: string
  readonly pod: string
  readonly podUid: string
  readonly container: string
  readonly serviceAccount: string
  /** The release of the image (`cr.l5d.io/linkerd/controller:edge-25.10.7`): which binary runs it. */
  readonly release: string
  readonly subcommand: ControllerSubcommand
  /** The container's arguments after the subcommand, as the pod gives them. */
  readonly args: readonly string[]
  /** Literal environment values of the container (values from elsewhere are left out). */
  readonly env: Readonly<Record<string, string>>
  /** How long the pod gives the process to stop, capped: the sandbox does not wait half a minute. */
  readonly graceMs: number
}

const CONTROLLER_IMAGE = /(?:^|\/)linkerd\/controller:(?<release>(?:edge|stable|enterprise)-[\w.-]+)$/
const MAX_GRACE_MS = 10_000

/** The controller containers of a pod that the sandbox runs; none for any other pod. */
export function controllerContainers(pod: V1Pod): ControllerContainer[] {
  const meta = pod.metadata ?? {}
  if (!meta.name || !meta.namespace || !meta.uid) return []
  const grace = Math.min(MAX_GRACE_MS, (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000)
  return (pod.spec?.containers ?? []).flatMap((c) => {
    const release = CONTROLLER_IMAGE.exec(c.image ?? '')?.groups?.release
    const [subcommand, ...args] = c.args ?? c.command?.slice(1) ?? []
    if (!release || !isRunSubcommand(subcommand)) return []
    return [
      {
        namespace: meta.namespace!,
        pod: meta.name!,
        podUid: meta.uid!,
        container: c.name,
        serviceAccount: pod.spec?.serviceAccountName ?? 'default',
        release,
        subcommand,
        args,
        env: literalEnv(c),
        graceMs: grace,
      },
    ]
  })
}

function isRunSubcommand(s: string | undefined): s is ControllerSubcommand {
  return (RUN_SUBCOMMANDS as readonly string[]).includes(s ?? '')
}

function literalEnv(c: V1Container): Record<string, string> {
  return Object.fromEntries((c.env ?? []).flatMap((e) => (e.value !== undefined ? [[e.name, e.value]] : [])))
}

/** Addresses the process serves on, on loopback: in a pod they are the pod's own ports. */
export interface ProcessPorts {
  /** The gRPC API of the destination controller. */
  readonly api: number
  readonly admin: number
}

/**
 * The command line of a container run out of cluster: the pod's own arguments, with the listen
 * addresses moved to free loopback ports (every pod of a cluster would otherwise want :9999) and
 * the kubeconfig that stands in for the pod's mounted ServiceAccount token.
 */
export function processArgs(c: ControllerContainer, kubeconfig: string, ports: ProcessPorts): string[] {
  const replaced = new Set(['addr', 'metrics-addr', 'kubeconfig'])
  const kept = c.args.filter((a) => !replaced.has(flagName(a) ?? ''))
  const flags = [`-kubeconfig=${kubeconfig}`, `-metrics-addr=127.0.0.1:${ports.admin}`, ...(c.subcommand === 'destination' ? [`-addr=127.0.0.1:${ports.api}`] : [])]
  // Go's flag package stops at the first positional argument (a Link name): flags go before it.
  const firstPositional = kept.findIndex((a) => !a.startsWith('-'))
  const at = firstPositional < 0 ? kept.length : firstPositional
  return [c.subcommand, ...kept.slice(0, at), ...flags, ...kept.slice(at)]
}

/** `-name=value`, `--name=value` or `-name` → `name`; undefined for a positional argument. */
function flagName(arg: string): string | undefined {
  return /^--?([^=]+)/.exec(arg)?.[1]
}

/** What a process is known as in logs and `sandbox status`: the pod's name and container, as kubelet logs them. */
export function processKey(c: Pick<ControllerContainer, 'namespace' | 'pod' | 'container'>): string {
  return `${c.namespace}_${c.pod}_${c.container}`
}
