import type {ChildProcess} from 'node:child_process'
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {YEAR_MS, selfSignedCa, signed} from '../../providers/certs/x509.js'
import type {LinkerdBinaries} from '../linkerd/binaries.js'
import {LinkerdControllers} from '../linkerd/controllers.js'
import {kubeconfig} from './kubeconfig.js'
import {startFakeKubelets} from './kubelets.js'
import {startLoadBalancerController} from './load-balancers.js'
import {forgetProcesses, reapOrphans, recordProcesses} from './orphans.js'
import {startEtcd, type Etcd} from './etcd.js'
import {freePort} from './ports.js'
import {spawnLogged, terminate, waitReady} from './processes.js'

/** A real Kubernetes API server (and its etcd) on 127.0.0.1, reachable with a static bearer token. */
export interface KubeCluster {
  readonly name: string
  /** `https://127.0.0.1:<port>` */
  readonly server: string
  readonly caPem: string
  readonly token: string
  readonly dataDir: string
  /** `etcd` only where the cluster has its own. */
  readonly pids: {
    readonly etcd?: number
    readonly apiserver: number
    readonly controllerManager?: number
    /**
     * The controller manager and scheduler: what a bench pauses so an idle fleet stays idle. KWOK
     * is not among them: paused, it stops renewing its node's lease, and once resumed the node
     * lifecycle controller taints the node and its pods never become available.
     */
    readonly workers: readonly number[]
  }
  /** Linkerd's controllers run for the cluster's pods; undefined when not asked for. */
  readonly linkerd?: LinkerdControllers
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
  /** The cluster's pod range (the spec's `pods`): its fake node's, so pods get addresses from it. */
  readonly podCidr?: string
  /** Run Linkerd's controllers for the pods that describe them, with these binaries. */
  readonly linkerdControllers?: (release: string) => Promise<LinkerdBinaries>
  /** An etcd shared with other clusters (this one stores under its own prefix); else the cluster starts its own. */
  readonly sharedEtcd?: Pick<Etcd, 'url'>
  /**
   * kube-controller-manager (token Secrets, namespace deletion, garbage collection, Deployments'
   * ReplicaSets) and the pods' scheduler and KWOK node: on unless a test needs none of that
   * (a plan of 30 clusters does not), where the binaries are built.
   */
  readonly controllers?: boolean
}

/**
 * Starts etcd, kube-apiserver and (where built) kube-controller-manager, kube-scheduler and KWOK,
 * waits until they answer, gives LoadBalancer Services an address, optionally runs Linkerd's
 * controllers for the pods that describe them, and returns how to reach the cluster.
 * Certificates are generated per cluster; the token grants system:masters (mcfed's admin access).
 */
export async function startKubeCluster(o: LaunchOptions): Promise<KubeCluster> {
  mkdirSync(o.dataDir, {recursive: true})
  await reapOrphans(o.dataDir)
  const securePort = await freePort()
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
  const etcd = o.sharedEtcd ? undefined : await startEtcd({name: o.name, binDir: o.binDir, dataDir: o.dataDir})
  const apiserver = spawnLogged(o.dataDir, 'kube-apiserver', join(o.binDir, 'kube-apiserver'), [
      `--etcd-servers=${o.sharedEtcd?.url ?? etcd!.url}`,
      // Under a shared etcd each cluster keeps to its own prefix, and none compacts the others' history.
      ...(o.sharedEtcd ? [`--etcd-prefix=/clusters/${o.name}`, '--etcd-compaction-interval=0'] : []),
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
  ])
  const server = `https://127.0.0.1:${securePort}`
  const workers: ChildProcess[] = []
  const record = () => recordProcesses(o.dataDir, [etcd?.process, apiserver, ...workers].flatMap((c) => (c?.pid !== undefined ? [c.pid] : [])))
  record()
  let loadBalancers: {stop(): void} | undefined
  let linkerd: LinkerdControllers | undefined
  const stop = async (options: {keepData?: boolean} = {}) => {
    loadBalancers?.stop()
    // Linkerd's controllers first: stopped with SIGTERM they release their Leases while the API answers.
    await linkerd?.stop()
    await Promise.all([...workers.map((w) => terminate(w)), terminate(apiserver), etcd?.stop({keepData: true})])
    if (options.keepData) forgetProcesses(o.dataDir)
    else rmSync(o.dataDir, {recursive: true, force: true})
  }
  const failed = async (what: string, e: unknown) => {
    await stop({keepData: true})
    return new Error(`${o.name}: ${what}${(e as Error).message}; logs in ${o.dataDir}${lastErrors(o.dataDir)}`)
  }
  try {
    await waitReady(server, ca.certPem, token, o.readyTimeoutMs ?? 90_000, etcd ? [etcd.process, apiserver] : [apiserver])
  } catch (e) {
    throw await failed('', e)
  }
  const adminKubeconfig = file('controller-manager.kubeconfig', kubeconfig([{name: o.name, server, caPem: ca.certPem, token}]))
  // As on GKE: ServiceAccount token Secrets get filled, namespaces can be deleted, garbage is collected.
  const controllers = o.controllers ?? true
  if (controllers && existsSync(join(o.binDir, 'kube-controller-manager'))) {
    const controllerManager = spawnLogged(o.dataDir, 'kube-controller-manager', join(o.binDir, 'kube-controller-manager'), [
      `--kubeconfig=${adminKubeconfig}`,
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${caFile}`,
      `--controllers=${CONTROLLERS.join(',')}`,
      '--leader-elect=false',
      '--secure-port=0',
      '--profiling=false',
      '--v=1',
    ])
    workers.push(controllerManager)
    record()
    try {
      // The root-CA publisher writes kube-root-ca.crt into every namespace: proof the controllers run.
      await waitReady(server, ca.certPem, token, o.readyTimeoutMs ?? 90_000, [...(etcd ? [etcd.process] : []), apiserver, controllerManager], '/api/v1/namespaces/default/configmaps/kube-root-ca.crt')
    } catch (e) {
      throw await failed('kube-controller-manager: ', e)
    }
  }
  try {
    const kubelets = controllers ? await startFakeKubelets({name: o.name, binDir: o.binDir, dataDir: o.dataDir, kubeconfigFile: adminKubeconfig, server, caPem: ca.certPem, token, podCidr: o.podCidr ?? DEFAULT_POD_CIDR}) : undefined
    workers.push(...(kubelets ?? []))
    record()
  } catch (e) {
    throw await failed('the fake node: ', e)
  }
  loadBalancers = startLoadBalancerController({name: o.name, server, caPem: ca.certPem, token})
  if (o.linkerdControllers) {
    linkerd = new LinkerdControllers({cluster: o.name, server, caPem: ca.certPem, token, dir: join(o.dataDir, 'linkerd'), controllerFor: o.linkerdControllers})
    await linkerd.start()
  }
  const controllerManager = workers.find((w) => w.spawnfile.endsWith('kube-controller-manager'))
  return {
    name: o.name,
    server,
    caPem: ca.certPem,
    token,
    dataDir: o.dataDir,
    pids: {...(etcd ? {etcd: etcd.pid} : {}), apiserver: apiserver.pid!, controllerManager: controllerManager?.pid, workers: workers.filter((w) => !w.spawnfile.endsWith('kwok')).flatMap((w) => (w.pid !== undefined ? [w.pid] : []))},
    ...(linkerd ? {linkerd} : {}),
    stop,
  }
}

/** The last error lines of the cluster's server logs: a CI run's temporary directory is gone when its output is read. */
function lastErrors(dataDir: string): string {
  const lines = ['etcd', 'kube-apiserver', 'kube-controller-manager'].flatMap((name) => {
    const path = join(dataDir, `${name}.log`)
    if (!existsSync(path)) return []
    const errors = readFileSync(path, 'utf8').split('\n').filter((l) => /^E\d{4}|error|fatal|panic/i.test(l))
    return errors.slice(-3).map((l) => `  ${name}: ${l.slice(0, 400)}`)
  })
  return lines.length > 0 ? `\n${lines.join('\n')}` : ''
}

/** What the sandbox's controller manager runs: what a GKE cluster's workloads and mcfed's checks rely on. */
const CONTROLLERS = [
  'serviceaccount-token-controller',
  'serviceaccount-controller',
  'namespace-controller',
  'garbage-collector-controller',
  'root-ca-certificate-publisher-controller',
  'clusterrole-aggregation-controller',
  'deployment-controller',
  'replicaset-controller',
  'endpoints-controller',
  'endpointslice-controller',
  // Lifts the not-ready taint the API server puts on a new node once KWOK reports it Ready.
  'node-lifecycle-controller',
]

/** A pod range for clusters started without one (tests' own clusters). */
const DEFAULT_POD_CIDR = '10.244.0.0/16'
