import {describe, expect, test} from 'vitest'

import {controllerContainers, processArgs, processKey} from '../../../../src/sandbox/linkerd/pod-command.js'

/** A pod as the multicluster chart's `controller-<link>` Deployment makes it (args as rendered by the 2.19 chart). */
const mirrorPod = (args: string[], image = 'cr.l5d.io/linkerd/controller:edge-25.10.7') => ({
  metadata: {name: 'controller-east-gw-797884948-jk6st', namespace: 'linkerd-multicluster', uid: 'u-1'},
  spec: {
    serviceAccountName: 'controller-east-gw',
    terminationGracePeriodSeconds: 30,
    containers: [{name: 'controller', image, args, env: [{name: 'A', value: '1'}, {name: 'B', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}}]}],
  },
})

describe("the processes the sandbox runs for Linkerd's pods", () => {
  test('a service-mirror container: its own arguments, flags before the Link name, listen addresses on loopback', () => {
    const [c] = controllerContainers(mirrorPod(['service-mirror', '-log-level=info', '-namespace=linkerd-multicluster', '-probe-service=probe-east-gw', 'east-gw']) as never)
    expect(c).toMatchObject({release: 'edge-25.10.7', subcommand: 'service-mirror', serviceAccount: 'controller-east-gw', env: {A: '1'}, graceMs: 10_000})
    expect(processArgs(c!, '/k/kc', {api: 1, admin: 2})).toEqual([
      'service-mirror',
      '-log-level=info',
      '-namespace=linkerd-multicluster',
      '-probe-service=probe-east-gw',
      '-kubeconfig=/k/kc',
      '-metrics-addr=127.0.0.1:2',
      'east-gw',
    ])
    expect(processKey(c!)).toBe('linkerd-multicluster_controller-east-gw-797884948-jk6st_controller')
  })

  test('the destination container: its gRPC and admin addresses replace the pod\'s', () => {
    const pod = {
      metadata: {name: 'linkerd-destination-1', namespace: 'linkerd', uid: 'u'},
      spec: {
        containers: [
          {name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-25.10.7'},
          {name: 'destination', image: 'cr.l5d.io/linkerd/controller:edge-25.10.7', args: ['destination', '-addr=:8086', '-controller-namespace=linkerd', '-enable-ipv6=false']},
          {name: 'sp-validator', image: 'cr.l5d.io/linkerd/controller:edge-25.10.7', args: ['sp-validator', '-log-level=info']},
          {name: 'policy', image: 'cr.l5d.io/linkerd/policy-controller:edge-25.10.7', args: ['--admin-addr=[::]:9990']},
        ],
      },
    }
    const found = controllerContainers(pod as never)
    expect(found.map((c) => c.container)).toEqual(['destination'])
    expect(processArgs(found[0]!, '/kc', {api: 7, admin: 8})).toEqual(['destination', '-controller-namespace=linkerd', '-enable-ipv6=false', '-kubeconfig=/kc', '-metrics-addr=127.0.0.1:8', '-addr=127.0.0.1:7'])
  })

  test('other images, other subcommands and pods without a uid are not run', () => {
    expect(controllerContainers(mirrorPod(['service-mirror', 'east'], 'example.com/other/controller:edge-25.10.7') as never)).toEqual([])
    expect(controllerContainers(mirrorPod(['heartbeat']) as never)).toEqual([])
    expect(controllerContainers({metadata: {name: 'x', namespace: 'y'}, spec: mirrorPod(['service-mirror', 'e']).spec} as never)).toEqual([])
    expect(controllerContainers(mirrorPod(['service-mirror', 'east'], 'ghcr.io/mirror/linkerd/controller:edge-26.6.3') as never)[0]?.release).toBe('edge-26.6.3')
  })
})
