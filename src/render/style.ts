import {Chalk, type ChalkInstance} from 'chalk'
import {createSupportsColor} from 'supports-color'

/** Colours by meaning, so renderers never name a colour and `--no-color` is one switch. */
export interface Style {
  readonly create: (s: string) => string
  readonly update: (s: string) => string
  readonly destroy: (s: string) => string
  readonly dim: (s: string) => string
  readonly bold: (s: string) => string
  readonly error: (s: string) => string
  readonly warning: (s: string) => string
}

const plain = (s: string) => s
/** Without colour every style is the text itself: a plan of 300 clusters calls them 500,000 times. */
const PLAIN: Style = {create: plain, update: plain, destroy: plain, dim: plain, bold: plain, error: plain, warning: plain}

export function style(color: boolean): Style {
  if (!color) return PLAIN
  const c: ChalkInstance = new Chalk({level: color ? 1 : 0})
  return {
    create: c.green,
    update: c.yellow,
    destroy: c.red,
    dim: c.dim,
    bold: c.bold,
    error: c.red.bold,
    warning: c.yellow.bold,
  }
}

/**
 * `--color` forces colour even through a pipe; `--no-color` and NO_COLOR (https://no-color.org)
 * turn it off; otherwise supports-color decides from the stream, TERM, CI and FORCE_COLOR.
 */
export function colorWanted(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag !== undefined) return flag
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  return createSupportsColor(stream, {sniffFlags: false}) !== false
}
