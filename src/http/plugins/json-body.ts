import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';

/** Deeper JSON than any sender needs; deeper still would overflow the stack of whoever walks it later. */
export const MAX_JSON_DEPTH = 64;

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body (signed webhooks verify them). */
    rawBody?: Buffer;
  }
}

/** The nesting depth of a JSON text, in one pass that skips strings; stops counting past the limit. */
function tooDeep(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

const poisoned = (key: string, value: unknown) => {
  if (key === '__proto__')
    throw new AppError('validation', 'the body uses the key "__proto__", which is not allowed');
  return value;
};

/** Parses a JSON body: 400 for invalid JSON, too deep nesting or `__proto__` keys, never a 500. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  if (tooDeep(text, MAX_JSON_DEPTH))
    throw new AppError('validation', `the body is JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return text.includes('"__proto__"')
      ? (JSON.parse(text, poisoned) as unknown)
      : (JSON.parse(text) as unknown);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('validation', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Replaces Fastify's JSON parser for every route (depth limit, clear 400s) and drops its text/plain parser: no
 * route reads text, and a sender that labels JSON as text should hear 415, not a confusing schema error. The raw
 * bytes are kept on the request for routes that verify signatures.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: Buffer, done) => {
      req.rawBody = body;
      try {
        done(null, parseJsonBody(body.toString('utf8')));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}
