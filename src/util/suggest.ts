import {distance} from 'fastest-levenshtein'

/** The closest candidate to a misspelled word, or undefined when nothing is close enough to help. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  const tolerance = Math.max(2, Math.floor(word.length / 3))
  return bestDistance <= tolerance ? best : undefined
}
