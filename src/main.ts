#!/usr/bin/env node
/** Entry point: `node src/main.ts <command>` (Node 24 runs the TypeScript directly; no build step). */
import { buildProgram } from './cli/program.ts';
import { reportCliError } from './cli/errors.ts';

// A reader that stops early (`siaga config check | head -2`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportCliError(err);
}
