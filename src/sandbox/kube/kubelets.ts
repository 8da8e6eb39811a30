import type {ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {CoreV1Api} from '@kubernetes/client-node'

import {adminConfig} from './client-config.js'
import {spawnLogged} from './processes.js'

/** The annotation KWOK is told to manage nodes by: only the sandbox's own fake node carries it. */
export const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node'

export interface FakeKubeletsOptions {
  readonly name: string
  readonly binDir: string
  readonly dataDir: string
  /** A kubeconfig file with admin access to the cluster. */
  readonly kubeconfigFile: string
  readonly server: string
  readonly caPem: string
  readonly token: string
  /** The node's pod range: KWOK gives pods addresses from it. */
  readonly podCidr: string
}

/**
 * What makes Deployments run in a sandbox cluster without a container runtime: kube-scheduler
 * binds pods to one fake node, and KWOK (sigs.k8s.io/kwok) plays that node's kubelet, marking its
 * pods Running and Ready with addresses from the cluster's pod range. The controller manager then
 * fills Endpoints and EndpointSlices from them as on a real cluster. Undefined when the binaries
 * were not built (an older MCFED_KUBE_BIN): pods then stay Pending, as before.
 */
export async function startFakeKubelets(o: FakeKubeletsOptions): Promise<ChildProcess[] | undefined> {
  if (!existsSync(join(o.binDir, 'kube-scheduler')) || !existsSync(join(o.binDir, 'kwok'))) return undefined
  const scheduler = spawnLogged(o.dataDir, 'kube-scheduler', join(o.binDir, 'kube-scheduler'), [
    `--kubeconfig=${o.kubeconfigFile}`,
    `--authentication-kubeconfig=${o.kubeconfigFile}`,
    `--authorization-kubeconfig=${o.kubeconfigFile}`,
    '--leader-elect=false',
    '--secure-port=0',
    '--profiling=false',
    '--v=1',
  ])
  const kwok = spawnLogged(o.dataDir, 'kwok', join(o.binDir, 'kwok'), [
    `--kubeconfig=${o.kubeconfigFile}`,
    `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
    `--cidr=${o.podCidr}`,
    '--node-ip=127.0.0.1',
    // Heartbeats through a node Lease renewed every ten seconds, as a kubelet's: KWOK's status-only
    // heartbeat comes every 20-45 s, past the node lifecycle controller's grace, which then marks
    // the node's pods not ready and rollouts never complete.
    '--node-lease-duration-seconds=40',
    `--node-name=${nodeName(o.name)}`,
  ])
  await createFakeNode(o)
  return [scheduler, kwok]
}

function nodeName(cluster: string): string {
  return `${cluster}-node-0`
}

/** One node with the whole pod range; the node lifecycle controller lifts its not-ready taint once KWOK reports it Ready. */
async function createFakeNode(o: FakeKubeletsOptions): Promise<void> {
  const kc = adminConfig(o)
  const core = kc.makeApiClient(CoreV1Api)
  const name = nodeName(o.name)
  try {
    await core.createNode({
      body: {
        metadata: {name, annotations: {[FAKE_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0'}, labels: {'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok'}},
        spec: {podCIDR: o.podCidr, podCIDRs: [o.podCidr]},
      },
    })
  } catch (e) {
    // A restart reuses its etcd data: the node is there already.
    if ((e as {code?: number}).code !== 409) throw e
  }
}
