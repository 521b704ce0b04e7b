/**
 * Benchmarks: `npm run bench -- <scenario> [options]` (the same as `node bench/run.ts <scenario> [options]`).
 * Each scenario is a file in bench/ (or a folder, for a larger one: bench/e2e/) that exports a `scenario` (see
 * bench/lib/scenario.ts); add new ones to the table below. Run one at a time on an otherwise quiet machine: they
 * share its cores with the server they measure.
 */
import type { Scenario } from './lib/scenario.ts';

const SCENARIOS: Record<string, () => Promise<Scenario>> = {
  startup: async () => (await import('./startup.ts')).scenario,
  ingest: async () => (await import('./ingest.ts')).scenario,
  e2e: async () => (await import('./e2e/scenario.ts')).scenario,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    const lines = [
      'usage: npm run bench -- <scenario> [options]   (options of a scenario: <scenario> --help)',
      '',
      'scenarios:',
    ];
    for (const [key, load] of Object.entries(SCENARIOS))
      lines.push(`  ${key.padEnd(10)} ${(await load()).summary}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = SCENARIOS[name];
  if (!load) {
    process.stderr.write(`bench: unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}\n`);
    return 2;
  }
  const scenario = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(
      `usage: npm run bench -- ${name} [options]\n${scenario.summary}\n\n${scenario.usage}\n`,
    );
    return 0;
  }
  return scenario.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
