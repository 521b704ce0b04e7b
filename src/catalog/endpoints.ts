import type { IntegrationKind } from './model.ts';

/**
 * Where a sender delivers to an integration, and ready-to-paste configuration for it. Built only when the key is
 * at hand (creation and rotation): the URLs of most kinds contain the key, which is never stored.
 */
export interface IntegrationEndpoints {
  /** The URL to deliver to (for email a `mailto:` URL); null when that way in is switched off. */
  url: string | null;
  /** email: the address to send alerts to. */
  address?: string;
  /** pagerduty: what PagerDuty clients call the routing key (the integration key). */
  routingKey?: string;
  /** Why there is no URL. */
  notice?: string;
  snippets: {
    /** prometheus.yml `alerting:` block: Prometheus sends to Siaga's Alertmanager API v2 directly. */
    prometheus?: string;
    /** alertmanager.yml receiver with a `webhook_configs` entry. */
    alertmanager?: string;
    /** alertmanager.yml receiver with a `pagerduty_configs` entry pointed at Siaga. */
    pagerduty?: string;
    /** A shell command that sends one test event. */
    curl?: string;
  };
}

export const EMAIL_IN_OFF = 'email-in is switched off on this server, so this integration has no address yet';

/** A YAML double-quoted scalar (JSON strings are valid YAML), so no key or URL is misread as YAML syntax. */
const yq = (s: string): string => JSON.stringify(s);
/** A single-quoted shell word. */
const sh = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
const base = (publicUrl: string): string => publicUrl.replace(/\/+$/, '');

function curl(url: string, body: unknown): string {
  return [
    `curl -sS -X POST ${sh(url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  --data ${sh(JSON.stringify(body))}`,
  ].join('\n');
}

/**
 * Prometheus (2.42 and later) can send alerts to Siaga as if it were an Alertmanager: it posts to
 * `<scheme>://<target><path_prefix>/api/v2/alerts`, so the target is the public URL's host and port and the prefix
 * its path. The key travels as a bearer token.
 */
function prometheusSnippet(publicUrl: string, key: string): string {
  const u = new URL(publicUrl);
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const port = u.port || (scheme === 'https' ? '443' : '80');
  const prefix = u.pathname.replace(/\/+$/, '');
  return [
    `# prometheus.yml: send alerts to Siaga (${base(publicUrl)}/api/v2/alerts)`,
    'alerting:',
    '  alertmanagers:',
    '    - api_version: v2',
    `      scheme: ${scheme}`,
    ...(prefix ? [`      path_prefix: ${yq(prefix)}`] : []),
    '      authorization:',
    '        type: Bearer',
    `        credentials: ${yq(key)}`,
    '      static_configs:',
    `        - targets: [${yq(`${u.hostname}:${port}`)}]`,
  ].join('\n');
}

function alertmanagerSnippet(url: string): string {
  return [
    '# alertmanager.yml: route alerts to this receiver (receiver: siaga)',
    'receivers:',
    '  - name: siaga',
    '    webhook_configs:',
    `      - url: ${yq(url)}`,
    '        send_resolved: true',
  ].join('\n');
}

function pagerdutySnippet(url: string, key: string): string {
  return [
    "# alertmanager.yml: Alertmanager's PagerDuty receiver, pointed at Siaga",
    'receivers:',
    '  - name: siaga',
    '    pagerduty_configs:',
    `      - routing_key: ${yq(key)}`,
    `        url: ${yq(url)}`,
    '        send_resolved: true',
  ].join('\n');
}

/**
 * The endpoints of an integration of `kind` with `key`. `publicUrl` is the base URL senders reach Siaga at
 * (`server.publicUrl`, which defaults to `http://<host>:<port>`); `emailDomain` is the domain of email-in
 * addresses, undefined while email-in is switched off.
 */
export function integrationEndpoints(
  publicUrl: string,
  kind: IntegrationKind,
  key: string,
  emailDomain?: string,
): IntegrationEndpoints {
  const root = base(publicUrl);
  switch (kind) {
    case 'alertmanager': {
      const url = `${root}/integrations/alertmanager/${key}`;
      return {
        url,
        snippets: { alertmanager: alertmanagerSnippet(url), prometheus: prometheusSnippet(root, key) },
      };
    }
    case 'pagerduty': {
      const url = `${root}/v2/enqueue`;
      const event = {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'disk-full-db1',
        payload: { summary: 'Disk full on db1', source: 'db1', severity: 'critical' },
      };
      return {
        url,
        routingKey: key,
        snippets: { pagerduty: pagerdutySnippet(url, key), curl: curl(url, event) },
      };
    }
    case 'webhook': {
      const url = `${root}/integrations/webhook/${key}`;
      const event = { summary: 'Disk full on db1', severity: 'critical', status: 'firing' };
      return { url, snippets: { curl: curl(url, event) } };
    }
    case 'email': {
      if (!emailDomain) return { url: null, notice: EMAIL_IN_OFF, snippets: {} };
      const address = `${key}@${emailDomain}`;
      return { url: `mailto:${address}`, address, snippets: {} };
    }
  }
}
