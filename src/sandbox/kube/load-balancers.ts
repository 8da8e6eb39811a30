import {CoreV1Api, Watch, type V1Service} from '@kubernetes/client-node'

import {adminConfig} from './client-config.js'

/**
 * The part of GKE's cloud controller the sandbox needs: a `type: LoadBalancer` Service gets an
 * external address in its status. Addresses come from 192.0.2.0/24 (TEST-NET-1, reserved for
 * documentation): never routed, so nothing ever connects to them. One allocator per process, so
 * that the clusters of one sandbox or test run never share an address.
 */
const TEST_NET = '192.0.2.'
const FIRST_HOST = 10
const taken = new Map<string, string>()

function allocate(key: string): string | undefined {
  const known = taken.get(key)
  if (known) return known
  const used = new Set(taken.values())
  for (let host = FIRST_HOST; host < 255; host++) {
    const ip = `${TEST_NET}${host}`
    if (!used.has(ip)) {
      taken.set(key, ip)
      return ip
    }
  }
  return undefined
}

export interface LoadBalancerController {
  stop(): void
}

/** Watches Services (a WATCH, never a polling LIST) and fills in each load balancer's address. */
export function startLoadBalancerController(o: {name: string; server: string; caPem: string; token: string}): LoadBalancerController {
  const kc = adminConfig(o)
  const core = kc.makeApiClient(CoreV1Api)
  const watch = new Watch(kc)
  let stopped = false
  let request: {abort(): void} | undefined
  let timer: NodeJS.Timeout | undefined

  const assign = async (svc: V1Service) => {
    if (svc.spec?.type !== 'LoadBalancer') return
    const key = `${o.name}/${svc.metadata?.namespace}/${svc.metadata?.name}`
    const existing = svc.status?.loadBalancer?.ingress?.[0]?.ip
    if (existing) {
      if (!taken.has(key)) taken.set(key, existing)
      return
    }
    const ip = allocate(key)
    if (!ip) return
    try {
      await core.replaceNamespacedServiceStatus({
        name: svc.metadata!.name!,
        namespace: svc.metadata!.namespace!,
        body: {...svc, status: {...svc.status, loadBalancer: {ingress: [{ip, ipMode: 'VIP'}]}}},
      })
    } catch {
      // A conflict means a newer version exists; its own event assigns the address.
    }
  }
  const connect = () => {
    if (stopped) return
    watch
      .watch(
        '/api/v1/services',
        {},
        (phase, svc: V1Service) => {
          if (phase === 'ADDED' || phase === 'MODIFIED') void assign(svc)
          if (phase === 'DELETED') taken.delete(`${o.name}/${svc.metadata?.namespace}/${svc.metadata?.name}`)
        },
        () => {
          if (!stopped) timer = setTimeout(connect, 500)
        },
      )
      .then((r) => {
        request = r
        if (stopped) r.abort()
      })
      .catch(() => {
        if (!stopped) timer = setTimeout(connect, 1_000)
      })
  }
  connect()
  return {
    stop: () => {
      stopped = true
      clearTimeout(timer)
      request?.abort()
    },
  }
}
