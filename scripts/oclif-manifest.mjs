// Writes oclif.manifest.json after the build, as `oclif manifest` would: without it oclif imports
// every command (and everything each command imports) to run any one of them.
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'

const root = join(fileURLToPath(import.meta.url), '..', '..')
// oclif's root plugin reads an existing manifest whatever ignoreManifest says: a stale one would
// hide commands added since, so it goes first.
rmSync(join(root, 'oclif.manifest.json'), {force: true})
const config = await Config.load({root, ignoreManifest: true})
const plugin = config.getPluginsList().find((p) => p.isRoot)
const {commands, version} = plugin.manifest
if (Object.keys(commands).length === 0) throw new Error('no commands found: build first')
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify({commands, version}, null, 2) + '\n')
