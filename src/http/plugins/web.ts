import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Serves the single-page app built into `web/dist`. Hashed assets are cached for a year; `index.html` is never
 * cached, so a deploy is picked up on the next load. Unknown GETs that want HTML get `index.html` (deep links
 * such as /detect work); API and unknown non-HTML requests keep their problem+json 404.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const hasBuild = existsSync(path.join(distDir, 'index.html'));
  if (!hasBuild) {
    app.log.warn({ distDir }, 'web UI is not built; run `npm run build` (npm start does it for you)');
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Siaga</title><p>The web UI is not built. Run <code>npm run build</code> and reload.</p>',
        ),
    );
    return;
  }
  // The files of the build, listed once at start: only these are served (one added to the directory later is not).
  // One route serves them all rather than a route (and its HEAD twin) per file: with a couple of hundred files in
  // the build, those routes cost about 3.5 MiB of an idle server's memory.
  const files = new Set(listFiles(distDir));
  await app.register(fastifyStatic, {
    root: distDir,
    serve: false,
    index: false,
    setHeaders: (res, file) => {
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.route<{ Params: { '*': string } }>({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    // As @fastify/static does for its own routes: a client that hangs up mid-file is not a server error.
    errorHandler: (error, req, reply) => {
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
        req.raw.destroy();
        return;
      }
      return app.errorHandler(error, req, reply);
    },
    handler: async (req, reply) => {
      // `ignoreTrailingSlash` let a per-file route match `/assets/x.js/` too.
      const file = req.params['*'].replace(/\/$/, '');
      return files.has(file) ? reply.sendFile(file) : reply.callNotFound();
    },
  });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
}

/**
 * The files under `dir` as URL paths relative to it (`assets/app-3f9a.js`), following symbolic links (but not
 * around a cycle) and leaving out dot-files and dot-directories.
 */
function listFiles(dir: string, prefix = '', ancestors: readonly string[] = [realpathSync(dir)]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isFile()) out.push(`${prefix}${name}`);
    else if (stat?.isDirectory()) {
      const real = realpathSync(full);
      if (!ancestors.includes(real)) out.push(...listFiles(full, `${prefix}${name}/`, [...ancestors, real]));
    }
  }
  return out;
}

const API_PREFIXES = ['/api/', '/v2/', '/integrations/', '/healthz', '/readyz', '/metrics'];

/** True when a 404 should be answered with the SPA shell rather than a problem document. */
export function wantsSpaShell(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (API_PREFIXES.some((p) => req.url.startsWith(p))) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * The web app loads only its own files: scripts from this origin (no inline script; the theme bootstrap is a file),
 * no plugins, no framing. Inline styles stay allowed because the component library sets style attributes.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function sendIndex(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .header('content-security-policy', WEB_APP_CSP)
    .sendFile('index.html');
}
