// Keeps Siaga's TypeScript sources type-stripped between starts.
//
// Node strips types with a WebAssembly transformer that, once loaded, stays resident for the process's life
// (about 17 MiB). With the stripped text of every source cached on disk, a start whose sources have not changed
// never loads it. Node's own compile cache did the same and more (it keeps compiled code too), but it holds every
// module's cache entry in memory until exit: about 6 MiB more at idle for no measurable gain in start time on a
// server this size, so only the stripping is cached.
//
// Entries are named by the SHA-256 of the source, so an edited file misses and is stripped again; a stale entry
// is never used. They live under node_modules/.cache (writable by whoever installed the project, like the code
// itself), and the folder can be deleted at any time. When it cannot be written, sources are stripped as usual.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPESCRIPT_FORMATS = { 'module-typescript': 'module', 'commonjs-typescript': 'commonjs' };

export function cacheTypeStrippedSources(
  dir = fileURLToPath(new URL(`../node_modules/.cache/siaga-ts/${process.versions.node}/`, import.meta.url)),
) {
  let writable = true;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    writable = false;
  }
  module.registerHooks({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      const format = TYPESCRIPT_FORMATS[loaded.format];
      if (!format || loaded.source === undefined) return loaded;
      const source = String(loaded.source);
      const file = path.join(dir, `${createHash('sha256').update(source).digest('hex')}.js`);
      let stripped;
      try {
        stripped = readFileSync(file, 'utf8');
      } catch {
        stripped = stripTypes(source);
        if (writable) writable = store(file, stripped);
      }
      return { format, source: stripped, shortCircuit: true };
    },
  });
}

/** Node's own stripper, the one `node file.ts` uses; its "experimental" warning is about the API, not the output. */
function stripTypes(source) {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    if (String(warning).startsWith('stripTypeScriptTypes')) return;
    emitWarning.call(process, warning, ...rest);
  };
  try {
    return module.stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Written under a temporary name and renamed, so a concurrent start never reads half a file. */
function store(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, file);
    return true;
  } catch {
    return false;
  }
}
