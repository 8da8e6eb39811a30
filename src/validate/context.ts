import type {Diagnostic, SourceLocation} from '../diagnostics/diagnostic.js'
import type {SourceMap, SpecPath} from '../spec/source-map.js'
import type {FederationSpec} from '../spec/types.js'

/** What every semantic rule receives. Rules are pure functions of this. */
export interface RuleContext {
  readonly spec: FederationSpec
  readonly at: (path: SpecPath, which?: 'key' | 'value') => SourceLocation
}

export type Rule = (ctx: RuleContext) => Diagnostic[]

export function ruleContext(spec: FederationSpec, map: SourceMap): RuleContext {
  return {spec, at: (path, which) => map.locate(path, which)}
}
