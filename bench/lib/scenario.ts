/** A benchmark scenario: a file in bench/ whose module exports these, listed in bench/run.ts. */
export interface Scenario {
  /** One line for `npm run bench` without arguments. */
  readonly summary: string;
  /** Options, shown with --help. */
  readonly usage: string;
  /** Runs with the arguments after the scenario name; resolves with the process exit code. */
  run(args: readonly string[]): Promise<number>;
}
