import v8 from 'node:v8';

/**
 * Start-up runs once: loading some 1,300 modules, migrating, building routes. In V8's normal mode the functions
 * that run hot during it (the module loader, schema builders) are sent to the optimising compilers and helper
 * threads, whose code, memory and thread arenas then stay resident for the life of an idle server (measured: about
 * 9 MiB of a 100 MiB idle server). So the launcher (`bin/siaga.js`) enters V8's efficiency mode before it loads the server,
 * and the server leaves it as soon as it is ready: from then on V8 optimises hot code as usual, for the requests
 * and jobs that run many times.
 *
 * The flag is read by V8 whenever it decides, so switching it after start-up takes effect at once; leaving the
 * mode when it was never entered (tests, `node src/main.ts`) changes nothing, as Node does not use it.
 */
export function enterStartupMode(): void {
  v8.setFlagsFromString('--efficiency-mode');
}

export function leaveStartupMode(): void {
  v8.setFlagsFromString('--no-efficiency-mode');
}
