/** Every kind mcfed reads in a cluster. */
const MCFED_RESOURCES =
  /resource="(services|configmaps|secrets|links|serviceaccounts|clusterroles|clusterrolebindings|deployments|customresourcedefinitions|namespaces|roles|rolebindings|cronjobs|mutatingwebhookconfigurations|validatingwebhookconfigurations|servers|authorizationpolicies)"/

/**
 * Requests an API server served for the kinds mcfed reads, by verb, from the text of its own
 * `/metrics`: how tests and benches count mcfed's calls.
 */
export function requestsByVerb(metrics: string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const line of metrics.split('\n')) {
    const m = /^apiserver_request_total\{(.*)\} (\d+)/.exec(line)
    if (!m || !MCFED_RESOURCES.test(m[1]!)) continue
    const verb = /verb="([A-Z]+)"/.exec(m[1]!)![1]!
    counts[verb] = (counts[verb] ?? 0) + Number(m[2])
  }
  return counts
}
