import parse from 'parse-duration'

import {memoByText} from './memo.js'

/** Go-style durations, as Linkerd and Kubernetes write them: `90s`, `10m`, `1h30m`, `8760h`, `500ms`. */
const GO_DURATION = /^(?:\d+(?:h|m|s|ms))+$/

/**
 * `90s`, `10m`, `1h30m`, `8760h` → milliseconds; undefined when it is not a duration. parse-duration
 * does the arithmetic; the pattern keeps it to the units mcfed documents (it would read `10` as 10 ms).
 */
export function parseDuration(text: string): number | undefined {
  return parsed(text)
}

// A spec holds a handful of distinct durations, read once per link: at 15,000 links parse-duration
// was a tenth of deriving the graph.
const parsed = memoByText((text: string): number | undefined => {
  const trimmed = text.trim()
  return GO_DURATION.test(trimmed) ? (parse(trimmed) ?? undefined) : undefined
})

/** `8760h`, `525600m` … → whole hours, the unit certificate validity is compared in. */
export function normalizeHours(duration: string): string {
  const ms = parseDuration(duration)
  return ms === undefined ? duration : `${Math.round(ms / 3_600_000)}h`
}

/**
 * Milliseconds as a Go duration, to the second and never rounded to a coarser unit: 600000 →
 * `10m`, 5400000 → `1h30m`, 7776000000 → `2160h`. Plans show durations this way.
 */
export function formatDuration(ms: number): string {
  let s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const out = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`
  return out || '0s'
}

export const YEAR_MS = 365 * 24 * 3600 * 1000
