/** Linkerd 2.x releases and the edge builds they are (the `version-2.x` tags). */
const RELEASES: Readonly<Record<string, string>> = {
  '2.17': 'edge-24.11.8',
  '2.18': 'edge-25.4.4',
  '2.19': 'edge-25.10.7',
}

/** The edge release a spec version names: `2.19` → `edge-25.10.7`; an edge name as is; else undefined. */
export function edgeRelease(version: string): string | undefined {
  if (version.startsWith('edge-')) return version
  return RELEASES[version.replace(/\.0$/, '')]
}

/** What the spec asks for, for messages: `2.19 (edge-25.10.7)`. */
export function describeVersion(version: string): string {
  const edge = edgeRelease(version)
  return edge && edge !== version ? `${version} (${edge})` : version
}

/** True when a live version (an edge name, or `linkerd/cli edge-…`) is the one the spec names. */
export function sameRelease(specVersion: string, live: string): boolean {
  const edge = edgeRelease(specVersion)
  const liveEdge = /edge-\d+\.\d+\.\d+/.exec(live)?.[0]
  return edge !== undefined && liveEdge === edge
}
