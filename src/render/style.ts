import {Chalk, type ChalkInstance} from 'chalk'

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

export function style(color: boolean): Style {
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

/** Colour unless NO_COLOR is set, the flag says no, or output is not a terminal. */
export function colorWanted(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag === false) return false
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  const force = process.env.FORCE_COLOR
  if (force !== undefined && force !== '' && force !== '0') return true
  return Boolean(stream.isTTY)
}
