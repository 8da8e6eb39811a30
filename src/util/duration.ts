/** `90s`, `10m`, `1h30m`, `8760h` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text.trim())
  if (!m || text.trim() === '') return undefined
  const [, h, min, s, ms] = m.map((x) => Number(x ?? 0))
  return ((h! * 60 + min!) * 60 + s!) * 1000 + ms!
}

/** `8760h`, `525600m` … → whole hours, the unit certificate and token validity are compared in. */
export function normalizeHours(duration: string): string {
  const ms = parseDuration(duration)
  return ms === undefined ? duration : `${Math.round(ms / 3_600_000)}h`
}
