// Siaga's service worker: shows pages that arrive by Web Push and acts on their Acknowledge/Resolve buttons.
// Plain JavaScript served as-is from the site root (its scope is the whole app); the payload is the server's
// PushPayload (src/response/channels/web-push.ts): title, body, url, tag, actions, ackUrl, resolveUrl.

const ICON = '/favicon.svg';
const ACTION_PATHS = { ack: 'ackUrl', resolve: 'resolveUrl' };
const ACTION_VERBS = { ack: 'acknowledge', resolve: 'resolve' };

// A new version takes over at once: an old worker must not keep handling pages after a deploy.
self.addEventListener('install', () => {
  void self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function readPayload(data) {
  if (!data) return { title: 'Siaga', body: '', tag: 'siaga', actions: [] };
  try {
    const json = data.json();
    if (json && typeof json.title === 'string') return json;
  } catch {
    // Not JSON: show the text rather than drop the push (browsers penalise pushes that show nothing).
  }
  return { title: 'Siaga', body: data.text(), tag: 'siaga', actions: [] };
}

self.addEventListener('push', (event) => {
  const p = readPayload(event.data);
  const actions = Array.isArray(p.actions) ? p.actions : [];
  // A page (it has buttons) stays on screen until someone deals with it, and alerts again when it replaces an
  // older notification of the same incident; status updates replace the page quietly.
  const isPage = actions.length > 0;
  event.waitUntil(
    self.registration.showNotification(p.title, {
      body: p.body || '',
      tag: p.tag || 'siaga',
      icon: ICON,
      badge: ICON,
      actions: actions.map((a) => ({ action: a.action, title: a.title })),
      requireInteraction: isPage,
      renotify: isPage,
      data: { url: p.url, ackUrl: p.ackUrl, resolveUrl: p.resolveUrl },
    }),
  );
});

async function act(action, notification) {
  const data = notification.data || {};
  const target = data[ACTION_PATHS[action]];
  if (!target) return openIncident(data.url);
  const url = new URL(target);
  url.searchParams.set('via', 'push');
  let title;
  let body = '';
  try {
    // The signed token in the URL is the authority; no cookie is needed or sent.
    const res = await fetch(url.href, {
      method: 'POST',
      headers: { accept: 'application/json' },
      credentials: 'omit',
    });
    const json = await res.json().catch(() => ({}));
    if (res.ok && json.incident) {
      title = `Incident #${json.incident.number} is ${json.incident.status}`;
    } else {
      title = `Could not ${ACTION_VERBS[action]} the incident`;
      body = json.detail || `The server answered ${res.status}.`;
    }
  } catch {
    title = `Could not ${ACTION_VERBS[action]} the incident`;
    body = 'Siaga could not be reached. Open the incident to act on it.';
  }
  await self.registration.showNotification(title, {
    body,
    tag: notification.tag,
    icon: ICON,
    badge: ICON,
    data: { url: data.url },
  });
}

async function openIncident(url) {
  const target = url || '/';
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => w.url === target);
  if (open) return open.focus();
  return self.clients.openWindow(target);
}

self.addEventListener('notificationclick', (event) => {
  const notification = event.notification;
  notification.close();
  if (event.action === 'ack' || event.action === 'resolve') {
    event.waitUntil(act(event.action, notification));
    return;
  }
  event.waitUntil(openIncident((notification.data || {}).url));
});
