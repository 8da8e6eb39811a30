import type {V1Service} from '@kubernetes/client-node'

import type {GatewayFacts} from '../../../graph/facts.js'
import {ANNOTATION, GATEWAY_PORT_NAME, GATEWAY_SERVICE, PROBE_PORT_NAME} from '../../../linkerd/names.js'

/**
 * A target's gateway as a Link must name it, from its `linkerd-gateway` Service the way
 * `link-gen` reads it: load-balancer addresses, the identity annotation, the `mc-gateway` and
 * `mc-probe` ports (node ports for a NodePort Service), the probe path and period annotations.
 */
export function gatewayFacts(services: readonly V1Service[]): GatewayFacts | undefined {
  const svc = services.find((s) => s.metadata?.name === GATEWAY_SERVICE)
  if (!svc) return undefined
  const nodePort = svc.spec?.type === 'NodePort'
  const port = (name: string) => {
    const p = svc.spec?.ports?.find((x) => x.name === name)
    const n = nodePort ? p?.nodePort : p?.port
    return n === undefined ? undefined : String(n)
  }
  const addresses = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname).filter((x): x is string => !!x)
  const period = svc.metadata?.annotations?.[ANNOTATION.probePeriod]
  return {
    address: addresses.length > 0 ? addresses.join(',') : undefined,
    identity: svc.metadata?.annotations?.[ANNOTATION.gatewayIdentity],
    port: port(GATEWAY_PORT_NAME),
    probePort: port(PROBE_PORT_NAME),
    probePath: svc.metadata?.annotations?.[ANNOTATION.probePath],
    probePeriod: period === undefined ? undefined : /^\d+$/.test(period) ? `${period}s` : period,
  }
}
