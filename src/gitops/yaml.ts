import {stringify} from 'yaml'

/**
 * YAML as a person reviews it in a pull request: block style, no line folding (a PEM or a long
 * selector stays one line per line), keys in the order the object was built. The same objects
 * always print the same bytes.
 */
export function yamlDocument(value: unknown): string {
  return stringify(value, {lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false})
}

/** Several objects as one multi-document file. */
export function yamlDocuments(values: readonly unknown[]): string {
  return values.map((v) => yamlDocument(v)).join('---\n')
}
