import type {ChildProcess} from 'node:child_process'
import {appendFileSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {CoreV1Api, makeInformer, type Informer, type V1Pod} from '@kubernetes/client-node'
import {stringify} from 'yaml'

import {adminConfig} from '../kube/client-config.js'
import {recordProcesses} from '../kube/orphans.js'
import {freePort} from '../kube/ports.js'
import {spawnLogged, terminate} from '../kube/processes.js'
import type {LinkerdBinaries} from './binaries.js'
import {controllerContainers, processArgs, processKey, type ControllerContainer} from './pod-command.js'

/** What `sandbox status` shows of one controller process. */
export interface ControllerStatus {
  readonly cluster: string
  readonly namespace: string
  readonly pod: string
  readonly container: string
  readonly subcommand: string
  readonly release: string
  /** `running`; `restarting` after it exited; `no-binary` when Linkerd's controller of that release is not here. */
  readonly state: 'running' | 'restarting' | 'no-binary'
  readonly pid?: number
  readonly startedAt?: string
  readonly restarts: number
  readonly log: string
  readonly reason?: string
}

export interface LinkerdControllersOptions {
  readonly cluster: string
  readonly server: string
  readonly caPem: string
  /** Admin access: to watch pods and to ask for each pod's ServiceAccount token. */
  readonly token: string
  /** Where tokens, kubeconfigs, logs and the status file go; the orphan record too. */
  readonly dir: string
  /** Linkerd's controller binary of a release (found, not built: building takes minutes). */
  readonly controllerFor: (release: string) => Promise<LinkerdBinaries>
}

/** As a kubelet does: a projected token lives an hour and is renewed well before. */
const TOKEN_SECONDS = 3607
const TOKEN_RENEW_MS = 40 * 60_000
const MAX_BACKOFF_MS = 30_000
export const STATUS_FILE = 'controllers.json'
/** Written into a controller's log when its pod is deleted, with the time the deletion was asked. */
export const POD_DELETED_MARK = 'mcfed-sandbox: pod deleted at'

interface Running {
  readonly container: ControllerContainer
  readonly log: string
  child?: ChildProcess
  startedAt?: string
  restarts: number
  state: ControllerStatus['state']
  reason?: string
  stopping: boolean
  timers: NodeJS.Timeout[]
  /** Made once per pod: a restarted process reads the same, still renewed, token file. */
  kubeconfig?: string
  /** The Secret its token is bound to, deleted once the process has stopped. */
  tokenHolder?: string
}

/**
 * Runs Linkerd's own controllers the way a kubelet would run their pods: for every Running pod of
 * a cluster whose container is Linkerd's destination controller or a service mirror, one local
 * process of Linkerd's controller binary for the image's release, with the pod's arguments, its
 * name as HOSTNAME (the Lease identity), and a token of the pod's ServiceAccount (so the chart's
 * RBAC is what the controller has) that lives until the process has stopped, as a pod's does. A
 * pod that goes away (deleted, a Deployment scaled to zero or rolled to a new template) stops its
 * process; one that exits is restarted with a backoff, as a container is.
 */
export class LinkerdControllers {
  private readonly running = new Map<string, Running>()
  private readonly core: CoreV1Api
  private readonly informer: Informer<V1Pod>
  private stopped = false

  constructor(private readonly o: LinkerdControllersOptions) {
    mkdirSync(o.dir, {recursive: true})
    const kc = adminConfig({name: o.cluster, server: o.server, caPem: o.caPem, token: o.token})
    this.core = kc.makeApiClient(CoreV1Api)
    this.informer = makeInformer(kc, '/api/v1/pods', () => this.core.listPodForAllNamespaces())
    this.informer.on('add', (pod) => this.reconcile(pod))
    this.informer.on('update', (pod) => this.reconcile(pod))
    this.informer.on('delete', (pod) => this.forget(pod))
    this.informer.on('error', () => {
      if (!this.stopped) setTimeout(() => void this.informer.start().catch(() => {}), 1_000)
    })
    this.writeStatus()
  }

  async start(): Promise<void> {
    await this.informer.start()
  }

  status(): ControllerStatus[] {
    return [...this.running.values()].map((r) => ({
      cluster: this.o.cluster,
      namespace: r.container.namespace,
      pod: r.container.pod,
      container: r.container.container,
      subcommand: r.container.subcommand,
      release: r.container.release,
      state: r.state,
      ...(r.child?.pid && r.state === 'running' ? {pid: r.child.pid} : {}),
      ...(r.startedAt ? {startedAt: r.startedAt} : {}),
      restarts: r.restarts,
      log: r.log,
      ...(r.reason ? {reason: r.reason} : {}),
    }))
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.informer.stop()
    await Promise.all([...this.running.keys()].map((k) => this.halt(k)))
    this.writeStatus()
  }

  private reconcile(pod: V1Pod): void {
    if (this.stopped) return
    const gone = pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase !== 'Running'
    for (const c of controllerContainers(pod)) {
      const key = processKey(c)
      if (gone && this.running.has(key)) this.noteDeletion(key, pod)
      if (gone) void this.halt(key)
      else if (!this.running.has(key)) void this.launch(c)
    }
  }

  /**
   * The log says when the pod's deletion was asked, in the API's own time (deletionTimestamp less
   * the grace period), so a reader can tell what the process logged on its way out apart.
   */
  private noteDeletion(key: string, pod: V1Pod): void {
    const at = pod.metadata?.deletionTimestamp
    if (!at) return
    const requested = new Date(new Date(at).getTime() - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000)
    try {
      appendFileSync(join(this.o.dir, `${key}.log`), `${POD_DELETED_MARK} ${requested.toISOString()}\n`)
    } catch {
      // The log is a courtesy to its reader; the process stops either way.
    }
  }

  private forget(pod: V1Pod): void {
    for (const c of controllerContainers(pod)) void this.halt(processKey(c))
  }

  private async launch(c: ControllerContainer): Promise<void> {
    const key = processKey(c)
    const r: Running = {container: c, log: join(this.o.dir, `${key}.log`), restarts: 0, state: 'restarting', stopping: false, timers: []}
    this.running.set(key, r)
    const binaries = await this.o.controllerFor(c.release)
    if (!binaries.ok) {
      r.state = 'no-binary'
      r.reason = binaries.reason
      this.writeStatus()
      return
    }
    await this.run(r, binaries.controller, 0)
  }

  private async run(r: Running, binary: string, backoffMs: number): Promise<void> {
    const c = r.container
    const key = processKey(c)
    try {
      r.kubeconfig ??= await this.podCredentials(r)
      if (r.stopping || this.stopped) return
      const [api, admin] = await Promise.all([freePort(), freePort()])
      const child = spawnLogged(this.o.dir, key, binary, processArgs(c, r.kubeconfig, {api, admin}), {...process.env, ...c.env, HOSTNAME: c.pod})
      r.child = child
      r.state = 'running'
      r.startedAt = new Date().toISOString()
      delete r.reason
      this.recordPids()
      this.writeStatus()
      child.once('exit', (code, signal) => {
        if (r.stopping || this.stopped) return
        // A container that exits is restarted, later each time it keeps failing.
        r.restarts++
        r.state = 'restarting'
        r.reason = `exited with ${code ?? signal}`
        this.writeStatus()
        const next = Math.min(MAX_BACKOFF_MS, Math.max(1_000, backoffMs * 2))
        r.timers.push(setTimeout(() => void this.run(r, binary, next), next))
      })
    } catch (e) {
      if (r.stopping || this.stopped) return
      r.state = 'restarting'
      r.reason = (e as Error).message
      this.writeStatus()
      const next = Math.min(MAX_BACKOFF_MS, Math.max(1_000, backoffMs * 2))
      r.timers.push(setTimeout(() => void this.run(r, binary, next), next))
    }
  }

  /**
   * A kubeconfig whose user reads its token from a file, as a pod's projected ServiceAccount token:
   * renewed before it expires (client-go re-reads the file), and bound to an object that lives
   * until the process has stopped (`tokenHolder`).
   */
  private async podCredentials(r: Running): Promise<string> {
    const c = r.container
    const key = processKey(c)
    const tokenFile = join(this.o.dir, `${key}.token`)
    const kubeconfigFile = join(this.o.dir, `${key}.kubeconfig`)
    const holder = await this.tokenHolder(c)
    r.tokenHolder = holder.name
    const issue = async () => {
      const granted = await this.core.createNamespacedServiceAccountToken({
        namespace: c.namespace,
        name: c.serviceAccount,
        body: {spec: {audiences: [], expirationSeconds: TOKEN_SECONDS, boundObjectRef: {apiVersion: 'v1', kind: 'Secret', name: holder.name, uid: holder.uid}}},
      })
      writeFileSync(tokenFile, granted.status?.token ?? '', {mode: 0o600})
    }
    await issue()
    r.timers.push(setInterval(() => void issue().catch(() => {}), TOKEN_RENEW_MS))
    writeFileSync(
      kubeconfigFile,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{name: this.o.cluster, cluster: {server: this.o.server, 'certificate-authority-data': Buffer.from(this.o.caPem).toString('base64')}}],
        users: [{name: c.serviceAccount, user: {tokenFile}}],
        contexts: [{name: this.o.cluster, context: {cluster: this.o.cluster, user: c.serviceAccount, namespace: c.namespace}}],
        'current-context': this.o.cluster,
      }),
      {mode: 0o600},
    )
    return kubeconfigFile
  }

  /**
   * What a process's token is bound to: a Secret of its own, deleted once the process has stopped.
   * A kubelet binds the token to the pod, and keeps a deleted pod until its containers have
   * stopped, so a controller stopped with SIGTERM gives its Lease up with a token still good. KWOK
   * removes a deleted pod at once, which revoked a pod-bound token before the process was even
   * signalled: the Lease then stayed held until it expired, whenever the API server's view of the
   * pod was quicker than the controller (most often on a loaded machine).
   */
  private async tokenHolder(c: ControllerContainer): Promise<{name: string; uid: string}> {
    const name = `mcfed-sandbox-${c.pod}-${c.container}`.slice(0, 253).replace(/[-.]+$/, '')
    const uid = (s: {metadata?: {uid?: string}}) => ({name, uid: s.metadata?.uid ?? ''})
    try {
      return uid(await this.core.createNamespacedSecret({namespace: c.namespace, body: {metadata: {name, labels: {'app.kubernetes.io/managed-by': 'mcfed-sandbox'}}, type: 'Opaque'}}))
    } catch (e) {
      // A sandbox restarted while the pod ran made it already.
      if ((e as {code?: number}).code !== 409) throw e
      return uid(await this.core.readNamespacedSecret({namespace: c.namespace, name}))
    }
  }

  private async halt(key: string): Promise<void> {
    const r = this.running.get(key)
    if (!r) return
    r.stopping = true
    this.running.delete(key)
    for (const t of r.timers) clearTimeout(t)
    if (r.child) await terminate(r.child, r.container.graceMs)
    // Now the token dies, as a pod-bound one does when the kubelet removes the stopped pod. When the
    // whole cluster stops, its API server goes too.
    if (r.tokenHolder && !this.stopped) await this.core.deleteNamespacedSecret({namespace: r.container.namespace, name: r.tokenHolder}).catch(() => {})
    this.recordPids()
    this.writeStatus()
  }

  private recordPids(): void {
    const pids = [...this.running.values()].flatMap((r) => (r.child?.pid && r.child.exitCode === null ? [r.child.pid] : []))
    recordProcesses(this.o.dir, pids)
  }

  private writeStatus(): void {
    writeFileSync(join(this.o.dir, STATUS_FILE), JSON.stringify(this.status(), null, 2) + '\n')
  }
}
