import {spawn, type ChildProcess} from 'node:child_process'
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, openSync, rmSync, writeFileSync} from 'node:fs'
import {Agent, request} from 'node:https'
import {join} from 'node:path'

import {YEAR_MS, selfSignedCa, signed} from '../../providers/certs/x509.js'
import {kubeconfig} from './kubeconfig.js'
import {startLoadBalancerController} from './load-balancers.js'
import {forgetProcesses, reapOrphans, recordProcesses} from './orphans.js'
import {freePort} from './ports.js'

/** A real Kubernetes API server (and its etcd) on 127.0.0.1, reachable with a static bearer token. */
export interface KubeCluster {
  readonly name: string
  /** `https://127.0.0.1:<port>` */
  readonly server: string
  readonly caPem: string
  readonly token: string
  readonly dataDir: string
  readonly pids: {readonly etcd: number; readonly apiserver: number; readonly controllerManager?: number}
  stop(options?: {keepData?: boolean}): Promise<void>
}

export interface LaunchOptions {
  readonly name: string
  readonly binDir: string
  /** Where etcd data, certificates and logs go. */
  readonly dataDir: string
  /** The cluster's Service range (the spec's `services`); defaults to 10.0.0.0/24. */
  readonly serviceCidr?: string
  readonly readyTimeoutMs?: number
  /** The bearer token to accept (random when not given). */
  readonly token?: string
}

/**
 * Starts etcd, kube-apiserver and (where built) kube-controller-manager, waits until they answer,
 * gives LoadBalancer Services an address, and returns how to reach the cluster.
 * Certificates are generated per cluster; the token grants system:masters (mcfed's admin access).
 */
export async function startKubeCluster(o: LaunchOptions): Promise<KubeCluster> {
  mkdirSync(o.dataDir, {recursive: true})
  await reapOrphans(o.dataDir)
  const [etcdClient, etcdPeer, securePort] = await Promise.all([freePort(), freePort(), freePort()])
  const ca = await selfSignedCa({commonName: `${o.name}-ca`, validityMs: 10 * YEAR_MS, pathLength: 0})
  const serving = await signed(ca, {commonName: 'kube-apiserver', validityMs: YEAR_MS, ca: false, dnsNames: ['localhost', 'kubernetes', 'kubernetes.default.svc'], ips: ['127.0.0.1']})
  const sa = generateKeyPairSync('ec', {namedCurve: 'P-256', publicKeyEncoding: {type: 'spki', format: 'pem'}, privateKeyEncoding: {type: 'pkcs8', format: 'pem'}})
  const token = o.token ?? randomBytes(24).toString('hex')
  const file = (name: string, content: string, mode = 0o600) => {
    const path = join(o.dataDir, name)
    writeFileSync(path, content, {mode})
    return path
  }
  const caFile = file('ca.crt', ca.certPem, 0o644)
  const certFile = file('apiserver.crt', serving.certPem, 0o644)
  const keyFile = file('apiserver.key', serving.keyPem)
  const saPub = file('sa.pub', sa.publicKey, 0o644)
  const saKey = file('sa.key', sa.privateKey)
  const tokens = file('tokens.csv', `${token},mcfed-admin,mcfed-admin,system:masters\n`)
  const log = (name: string) => openSync(join(o.dataDir, `${name}.log`), 'a')

  const etcd = spawn(
    join(o.binDir, 'etcd'),
    [
      `--name=${o.name}`,
      `--data-dir=${join(o.dataDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=${o.name}=http://127.0.0.1:${etcdPeer}`,
      '--log-level=warn',
      // A test and sandbox store: durability across power loss buys nothing here, fsync costs seconds.
      '--unsafe-no-fsync',
    ],
    {stdio: ['ignore', log('etcd'), log('etcd')], detached: true},
  )
  const apiserver = spawn(
    join(o.binDir, 'kube-apiserver'),
    [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--tls-cert-file=${certFile}`,
      `--tls-private-key-file=${keyFile}`,
      `--client-ca-file=${caFile}`,
      `--token-auth-file=${tokens}`,
      '--authorization-mode=RBAC',
      `--service-cluster-ip-range=${o.serviceCidr ?? '10.0.0.0/24'}`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--api-audiences=https://kubernetes.default.svc.cluster.local',
      `--cert-dir=${join(o.dataDir, 'certs')}`,
      '--profiling=false',
      '--v=1',
    ],
    {stdio: ['ignore', log('kube-apiserver'), log('kube-apiserver')], detached: true},
  )
  const server = `https://127.0.0.1:${securePort}`
  recordProcesses(o.dataDir, [etcd.pid, apiserver.pid].filter((pid) => pid !== undefined))
  let controllerManager: ChildProcess | undefined
  let loadBalancers: {stop(): void} | undefined
  const stop = async (options: {keepData?: boolean} = {}) => {
    loadBalancers?.stop()
    await Promise.all([terminate(apiserver), terminate(etcd), ...(controllerManager ? [terminate(controllerManager)] : [])])
    if (options.keepData) forgetProcesses(o.dataDir)
    else rmSync(o.dataDir, {recursive: true, force: true})
  }
  try {
    await waitReady(server, ca.certPem, token, o.readyTimeoutMs ?? 90_000, [etcd, apiserver])
  } catch (e) {
    await stop({keepData: true})
    throw new Error(`${o.name}: ${(e as Error).message}; logs in ${o.dataDir}`)
  }
  // As on GKE: ServiceAccount token Secrets get filled, namespaces can be deleted, garbage is collected.
  controllerManager = existsSync(join(o.binDir, 'kube-controller-manager'))
    ? spawn(
        join(o.binDir, 'kube-controller-manager'),
        [
          `--kubeconfig=${file('controller-manager.kubeconfig', kubeconfig([{name: o.name, server, caPem: ca.certPem, token}]))}`,
          `--service-account-private-key-file=${saKey}`,
          `--root-ca-file=${caFile}`,
          [
            '--controllers=serviceaccount-token-controller',
            'serviceaccount-controller',
            'namespace-controller',
            'garbage-collector-controller',
            'root-ca-certificate-publisher-controller',
            'clusterrole-aggregation-controller',
            'deployment-controller',
            'replicaset-controller',
            'endpoints-controller',
            'endpointslice-controller',
          ].join(','),
          '--leader-elect=false',
          '--secure-port=0',
          '--profiling=false',
          '--v=1',
        ],
        {stdio: ['ignore', log('kube-controller-manager'), log('kube-controller-manager')], detached: true},
      )
    : undefined
  recordProcesses(o.dataDir, [etcd.pid, apiserver.pid, controllerManager?.pid].filter((pid) => pid !== undefined))
  if (controllerManager) {
    try {
      // The root-CA publisher writes kube-root-ca.crt into every namespace: proof the controllers run.
      await waitReady(server, ca.certPem, token, o.readyTimeoutMs ?? 90_000, [etcd, apiserver, controllerManager], '/api/v1/namespaces/default/configmaps/kube-root-ca.crt')
    } catch (e) {
      await stop({keepData: true})
      throw new Error(`${o.name}: kube-controller-manager: ${(e as Error).message}; logs in ${o.dataDir}`)
    }
  }
  loadBalancers = startLoadBalancerController({name: o.name, server, caPem: ca.certPem, token})
  return {name: o.name, server, caPem: ca.certPem, token, dataDir: o.dataDir, pids: {etcd: etcd.pid!, apiserver: apiserver.pid!, controllerManager: controllerManager?.pid}, stop}
}

async function waitReady(server: string, ca: string, token: string, timeoutMs: number, children: ChildProcess[], path = '/readyz'): Promise<void> {
  const agent = new Agent({ca, keepAlive: false})
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null)
    if (dead) throw new Error(`${dead.spawnfile} exited with ${dead.exitCode}`)
    last = await new Promise<string>((resolve) => {
      const req = request(`${server}${path}`, {agent, headers: {authorization: `Bearer ${token}`}, timeout: 2_000}, (res) => {
        res.resume()
        resolve(String(res.statusCode))
      })
      req.on('error', (e) => resolve(e.message))
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.end()
    })
    if (last === '200') return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${path} not ready after ${Math.round(timeoutMs / 1000)}s (last answer: ${last})`)
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
