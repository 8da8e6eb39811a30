import parse from 'parse-duration'

/** Go-style durations, as Linkerd and Kubernetes write them: `90s`, `10m`, `1h30m`, `8760h`, `500ms`. */
const GO_DURATION = /^(?:\d+(?:h|m|s|ms))+$/

/**
 * `90s`, `10m`, `1h30m`, `8760h` → milliseconds; undefined when it is not a duration. parse-duration
 * does the arithmetic; the pattern keeps it to the units mcfed documents (it would read `10` as 10 ms).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  if (!GO_DURATION.test(trimmed)) return undefined
  return parse(trimmed) ?? undefined
}

/** `8760h`, `525600m` … → whole hours, the unit certificate and token validity are compared in. */
export function normalizeHours(duration: string): string {
  const ms = parseDuration(duration)
  return ms === undefined ? duration : `${Math.round(ms / 3_600_000)}h`
}

export const YEAR_MS = 365 * 24 * 3600 * 1000
