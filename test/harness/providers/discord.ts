import { startFakeHttpServer, type FakeHttpServer, type ScriptedReply } from './fake-http.ts';

/**
 * A fake Discord channel webhook: `POST /api/webhooks/{id}/{token}` answers 204, or 200 with the created message
 * when `?wait=true`; an unknown webhook is 404 (code 10015), a wrong token 401 (50027), an empty message 400
 * (50006), content over 2000 characters 400 (50035). `rateLimit` scripts Discord's 429.
 */
export interface FakeDiscord extends FakeHttpServer {
  /** The webhook URL to configure (its last segment is the token). */
  readonly webhookUrl: string;
  /** Messages created so far, as Discord would return them. */
  readonly messages: Record<string, unknown>[];
  /** Queues a 429 like Discord's: `retry_after` seconds in the JSON body and a `Retry-After` header. */
  rateLimit(retryAfterSeconds: number, global?: boolean): void;
}

const WEBHOOK_ID = '1180000000000000001';
const TOKEN = 'fake-discord-token_AbC-123';

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const messages: Record<string, unknown>[] = [];
  let seq = 0;
  const server = await startFakeHttpServer((req): ScriptedReply => {
    const m = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([^/]+)$/.exec(req.url.pathname);
    if (req.method !== 'POST' || !m) return { status: 404, body: { message: '404: Not Found', code: 0 } };
    if (m[1] !== WEBHOOK_ID) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    if (m[2] !== TOKEN) return { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
    const body = req.json as { content?: unknown; embeds?: unknown } | undefined;
    if (!body || typeof body !== 'object') {
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
    }
    const content = typeof body.content === 'string' ? body.content : '';
    const embeds = Array.isArray(body.embeds) ? body.embeds : [];
    if (content === '' && embeds.length === 0) {
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
    }
    if (content.length > 2000 || embeds.length > 10) {
      return {
        status: 400,
        body: {
          message: 'Invalid Form Body',
          code: 50035,
          errors: {
            content: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
            },
          },
        },
      };
    }
    seq += 1;
    const message = {
      id: String(1190000000000000000n + BigInt(seq)),
      type: 0,
      content,
      embeds,
      channel_id: '1170000000000000001',
      webhook_id: WEBHOOK_ID,
      author: { id: WEBHOOK_ID, username: 'Siaga', bot: true },
      mentions: [],
      mention_everyone: false,
      timestamp: '2026-01-01T00:00:00.000000+00:00',
    };
    messages.push(message);
    return req.url.searchParams.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
  });
  return {
    ...server,
    webhookUrl: `${server.baseUrl}/api/webhooks/${WEBHOOK_ID}/${TOKEN}`,
    messages,
    rateLimit(retryAfterSeconds, global = false) {
      server.reply({
        status: 429,
        headers: {
          'retry-after': String(Math.ceil(retryAfterSeconds)),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(retryAfterSeconds),
          'x-ratelimit-scope': global ? 'global' : 'shared',
        },
        body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
      });
    },
  };
}
