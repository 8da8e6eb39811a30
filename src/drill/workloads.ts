import {UserError} from '../diagnostics/errors.js'
import type {FederationSpec} from '../spec/types.js'
import {closest} from '../util/suggest.js'

/** A spec service in the cluster a drill takes down, and its live selector. */
export interface SelectedService {
  readonly service: string
  readonly namespace: string
  /** The Service's `spec.selector`; undefined when the Service does not exist or selects nothing. */
  readonly selector?: Readonly<Record<string, string>>
}

export interface DeploymentFacts {
  readonly namespace: string
  readonly name: string
  readonly replicas: number
  readonly readyReplicas: number
  readonly podLabels: Readonly<Record<string, string>>
}

/**
 * The spec's services a drill of `cluster` takes down: all that run there, or those `--services`
 * names (each must run there). Errors say what runs there instead.
 */
export function drillServices(spec: FederationSpec, cluster: string, only?: readonly string[]): {service: string; namespace: string}[] {
  const clusters = Object.keys(spec.spec.clusters)
  if (!clusters.includes(cluster)) {
    const near = closest(cluster, clusters)
    throw new UserError(`no cluster ${cluster} in the spec`, near ? `did you mean ${near}?` : `the spec's clusters: ${clusters.join(', ')}`)
  }
  const running = Object.entries(spec.spec.services).filter(([, s]) => s.clusters.includes(cluster))
  const names = running.map(([n]) => n)
  for (const name of only ?? []) {
    if (names.includes(name)) continue
    const near = closest(name, names)
    const where = spec.spec.services[name] ? `${name} does not run in ${cluster} (it runs in ${spec.spec.services[name]!.clusters.join(', ')})` : `no service ${name} in the spec`
    throw new UserError(where, near ? `did you mean ${near}? Services in ${cluster}: ${names.join(', ')}` : `services in ${cluster}: ${names.join(', ') || 'none'}`)
  }
  const chosen = running.filter(([n]) => !only || only.length === 0 || only.includes(n))
  if (chosen.length === 0) throw new UserError(`no service of the spec runs in ${cluster}: a drill there would take nothing down`, 'choose a cluster that runs a service')
  return chosen.map(([service, s]) => ({service, namespace: s.namespace}))
}

/** Whether a Deployment's pods carry every label of a Service's selector (an empty selector selects no pods). */
export function selects(selector: Readonly<Record<string, string>> | undefined, podLabels: Readonly<Record<string, string>>): boolean {
  const terms = Object.entries(selector ?? {})
  return terms.length > 0 && terms.every(([k, v]) => podLabels[k] === v)
}

/** The Deployments whose pods back these services: what a cluster loss scales to zero. */
export function deploymentsBehind(services: readonly SelectedService[], deployments: readonly DeploymentFacts[]): DeploymentFacts[] {
  return deployments
    .filter((d) => services.some((s) => s.namespace === d.namespace && selects(s.selector, d.podLabels)))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
}

/** Every spec service in the cluster that loses pods when these Deployments go: more than asked when one Deployment backs two services. */
export function servicesLosingPods(services: readonly SelectedService[], scaled: readonly DeploymentFacts[]): string[] {
  return services.filter((s) => scaled.some((d) => d.namespace === s.namespace && selects(s.selector, d.podLabels))).map((s) => s.service)
}
