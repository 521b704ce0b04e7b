import {
  startFakeHttpServer,
  type FakeHttpServer,
  type RecordedRequest,
  type ScriptedReply,
} from './fake-http.ts';

/**
 * A fake ntfy server. It takes both publish forms: JSON to the root (`POST /` with `{topic, title, message,
 * priority, tags, click, actions, sequence_id}`) and a text body to `POST|PUT /{topic}` with `X-Title`,
 * `X-Priority`, `X-Tags`, `X-Click`, `X-Sequence-ID` headers. It answers 200 with the stored message JSON (`id`),
 * or ntfy's error JSON (`{code, http, error, link}`). Topics in `protectedTopics` need their Bearer token.
 */
export interface NtfyPublished {
  readonly id: string;
  readonly topic: string;
  readonly title?: string;
  readonly message: string;
  readonly priority: number;
  readonly tags: readonly string[];
  readonly click?: string;
  readonly actions: readonly Record<string, unknown>[];
  readonly sequenceId?: string;
  /** The `Authorization` header the publish came with. */
  readonly authorization?: string;
}

export interface FakeNtfy extends FakeHttpServer {
  /** Topic → the access token it needs. */
  readonly protectedTopics: Map<string, string>;
  /** Messages stored so far, normalised from either publish form. */
  readonly published: NtfyPublished[];
  /** Queues ntfy's 429 (`limit reached: too many requests`). */
  rateLimit(): void;
}

const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

function error(http: number, code: number, message: string): ScriptedReply {
  return { status: http, body: { code, http, error: message, link: 'https://ntfy.sh/docs/publish/' } };
}

const PRIORITIES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };

function priorityOf(raw: unknown): number | undefined {
  if (raw === undefined || raw === '' || raw === 0) return 3;
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 && raw <= 5 ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1 && n <= 5) return n;
  return PRIORITIES[raw.toLowerCase()];
}

function header(req: RecordedRequest, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = req.headers[n.toLowerCase()];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The message a request publishes, in the JSON form, or an error reply. */
function draftOf(req: RecordedRequest): Record<string, unknown> | ScriptedReply {
  if (req.url.pathname === '/') {
    const body = req.json;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return error(400, 40017, 'invalid request: request body must be message JSON');
    }
    return body as Record<string, unknown>;
  }
  const tags = header(req, 'x-tags', 'tags', 'tag', 'ta');
  return {
    topic: req.url.pathname.slice(1),
    message: req.rawBody,
    title: header(req, 'x-title', 'title', 'ti', 't'),
    priority: header(req, 'x-priority', 'priority', 'prio', 'p'),
    tags: tags === undefined ? undefined : tags.split(',').map((t) => t.trim()),
    click: header(req, 'x-click', 'click'),
    sequence_id: header(req, 'x-sequence-id', 'sequence-id', 'sid'),
  };
}

export async function startFakeNtfy(): Promise<FakeNtfy> {
  const protectedTopics = new Map<string, string>();
  const published: NtfyPublished[] = [];
  let seq = 0;
  const server = await startFakeHttpServer((req): ScriptedReply => {
    if (req.method !== 'POST' && req.method !== 'PUT') return error(404, 40401, 'page not found');
    const draft = draftOf(req);
    if ('status' in draft && typeof draft.status === 'number') return draft as ScriptedReply;
    const d = draft as Record<string, unknown>;
    const topic = typeof d.topic === 'string' ? d.topic : '';
    if (!TOPIC.test(topic)) return error(400, 40009, 'invalid request: topic invalid');
    const needed = protectedTopics.get(topic);
    const authorization = req.headers.authorization;
    if (needed !== undefined) {
      if (authorization === undefined) return error(403, 40301, 'forbidden');
      if (authorization !== `Bearer ${needed}`) return error(401, 40101, 'unauthorized');
    }
    const priority = priorityOf(d.priority);
    if (priority === undefined) return error(400, 40007, 'invalid priority parameter');
    const actions = d.actions === undefined ? [] : d.actions;
    if (!Array.isArray(actions) || actions.length > 3)
      return error(400, 40018, 'invalid request: actions invalid');
    for (const a of actions as Record<string, unknown>[]) {
      const ok =
        (a.action === 'view' || a.action === 'http' || a.action === 'broadcast') &&
        typeof a.label === 'string' &&
        a.label !== '' &&
        (a.action === 'broadcast' || (typeof a.url === 'string' && /^https?:\/\//.test(a.url)));
      if (!ok) return error(400, 40018, 'invalid request: actions invalid');
    }
    seq += 1;
    const id = `fakeMsg${String(seq).padStart(5, '0')}`;
    const message = typeof d.message === 'string' && d.message !== '' ? d.message : 'triggered';
    const tags = Array.isArray(d.tags) ? (d.tags as unknown[]).map(String) : [];
    const stored: NtfyPublished = {
      id,
      topic,
      message,
      priority,
      tags,
      actions: actions as Record<string, unknown>[],
      ...(typeof d.title === 'string' ? { title: d.title } : {}),
      ...(typeof d.click === 'string' ? { click: d.click } : {}),
      ...(typeof d.sequence_id === 'string' ? { sequenceId: d.sequence_id } : {}),
      ...(authorization === undefined ? {} : { authorization }),
    };
    published.push(stored);
    return {
      status: 200,
      body: {
        id,
        time: 1767225600,
        expires: 1767268800,
        event: 'message',
        topic,
        ...(stored.title === undefined ? {} : { title: stored.title }),
        message,
        priority,
        ...(tags.length > 0 ? { tags } : {}),
        ...(stored.click === undefined ? {} : { click: stored.click }),
        ...(stored.actions.length > 0
          ? { actions: stored.actions.map((a, i) => ({ id: `act${i}`, ...a })) }
          : {}),
        ...(stored.sequenceId === undefined ? {} : { sequence_id: stored.sequenceId }),
      },
    };
  });
  return {
    ...server,
    protectedTopics,
    published,
    rateLimit() {
      server.reply(error(429, 42901, 'limit reached: too many requests, please be nice'));
    },
  };
}
