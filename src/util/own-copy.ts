/**
 * A string that shares no memory with the text it was cut from. V8 keeps a substring of 13 or more
 * characters as a slice of its parent, so a field kept from a parsed Secret would keep the whole
 * Secret's text (its token with it) alive as long as the field. A Buffer round trip copies.
 */
export function ownCopy<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : Buffer.from(text, 'utf8').toString('utf8')) as T
}
