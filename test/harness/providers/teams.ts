import { startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from './fake-http.ts';

/**
 * A fake Teams Workflows webhook ("Post to a channel when a webhook request is received"). Like Power Automate it
 * checks the URL's signature, wants `{type: 'message', attachments: [{contentType:
 * 'application/vnd.microsoft.card.adaptive', content: AdaptiveCard}]}` and answers 202 Accepted with no body.
 */
export interface FakeTeams extends FakeHttpServer {
  /** The workflow URL to configure (its `sig` is the secret). */
  readonly webhookUrl: string;
  /** The Adaptive Cards accepted so far. */
  cards(): Record<string, unknown>[];
}

const SIG = 'fake-teams-signature';
const PATH = '/workflows/0f3c5a9e2b7d4c1e8a6b5d4c3b2a1908/triggers/manual/paths/invoke';

function cardOf(req: RecordedRequest): Record<string, unknown> | string {
  const body = req.json as { type?: unknown; attachments?: unknown } | undefined;
  if (!body || typeof body !== 'object') return 'request body must be JSON';
  if (body.type !== 'message') return "'type' must be 'message'";
  if (!Array.isArray(body.attachments) || body.attachments.length === 0) return "'attachments' is required";
  const first = body.attachments[0] as { contentType?: unknown; content?: unknown } | undefined;
  if (first?.contentType !== 'application/vnd.microsoft.card.adaptive')
    return 'unsupported attachment contentType';
  const card = first.content as Record<string, unknown> | undefined;
  if (
    !card ||
    card.type !== 'AdaptiveCard' ||
    typeof card.version !== 'string' ||
    !Array.isArray(card.body)
  ) {
    return 'attachment content is not an Adaptive Card';
  }
  return card;
}

export async function startFakeTeams(): Promise<FakeTeams> {
  const accepted: Record<string, unknown>[] = [];
  const server = await startFakeHttpServer((req) => {
    if (req.method !== 'POST' || req.url.pathname !== PATH) {
      return {
        status: 404,
        body: { error: { code: 'WorkflowNotFound', message: 'The workflow was not found.' } },
      };
    }
    if (req.url.searchParams.get('sig') !== SIG) {
      return {
        status: 401,
        body: {
          error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated.' },
        },
      };
    }
    const card = cardOf(req);
    if (typeof card === 'string') {
      return { status: 400, body: { error: { code: 'InvalidRequestContent', message: card } } };
    }
    accepted.push(card);
    return { status: 202, headers: { 'x-ms-workflow-run-id': `run${accepted.length}` } };
  });
  return {
    ...server,
    webhookUrl: `${server.baseUrl}${PATH}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`,
    cards: () => [...accepted],
  };
}
