import { startFakeHttpServer, type FakeHttpServer, type ScriptedReply } from './fake-http.ts';

/**
 * A fake Mattermost incoming webhook: `POST /hooks/{key}` with `{text, ...}` answers `200 ok` (text/plain); an
 * unknown key or a post with neither text nor attachments is a 400 with Mattermost's JSON error body.
 */
export interface FakeMattermost extends FakeHttpServer {
  readonly webhookUrl: string;
  /** Posts accepted so far (the JSON bodies). */
  readonly posts: Record<string, unknown>[];
}

const KEY = 'xq7bz5kd3jgfdnbm8ycurpwh1e';

function appError(id: string, message: string): ScriptedReply {
  return {
    status: 400,
    body: { id, message, detailed_error: '', request_id: 'fake', status_code: 400 },
  };
}

export async function startFakeMattermost(): Promise<FakeMattermost> {
  const posts: Record<string, unknown>[] = [];
  const server = await startFakeHttpServer((req): ScriptedReply => {
    const m = /^\/hooks\/([a-z0-9]+)$/.exec(req.url.pathname);
    if (req.method !== 'POST' || !m)
      return { status: 404, body: { id: 'api.context.404.app_error', status_code: 404 } };
    if (m[1] !== KEY) return appError('web.incoming_webhook.invalid.app_error', 'Invalid webhook.');
    const body = req.json as { text?: unknown; attachments?: unknown } | undefined;
    if (!body || typeof body !== 'object') {
      return appError('web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.');
    }
    const hasText = typeof body.text === 'string' && body.text.trim() !== '';
    const hasAttachments = Array.isArray(body.attachments) && body.attachments.length > 0;
    if (!hasText && !hasAttachments)
      return appError('web.incoming_webhook.text.app_error', 'No text specified.');
    posts.push(body);
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
  });
  return { ...server, webhookUrl: `${server.baseUrl}/hooks/${KEY}`, posts };
}
