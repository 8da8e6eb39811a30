/** `90s`, `10m`, `1h30m`, `8760h` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text.trim())
  if (!m || text.trim() === '') return undefined
  const [, h, min, s, ms] = m.map((x) => Number(x ?? 0))
  return ((h! * 60 + min!) * 60 + s!) * 1000 + ms!
}
