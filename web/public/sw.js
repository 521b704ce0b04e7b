// Siaga's service worker: shows pages that arrive by Web Push, acts on their Acknowledge/Resolve buttons, and keeps
// the person's push contact method pointing at this browser when the browser renews its subscription.
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
    Promise.all([
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
      rememberCurrentEndpoint(),
    ]),
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

// --- Renewing the subscription -------------------------------------------------------------------------------------
//
// Browsers fire `pushsubscriptionchange` when a subscription expires or the push service replaces it. Siaga's
// contact method still names the old endpoint, where pushes now fail (404/410), so the worker subscribes again with
// the same VAPID key and sends the old endpoint and the new subscription to the server, signed in with the
// person's session cookie. The server points that person's push method at the new subscription; it stays verified.

const RENEW_PATH = '/api/v1/me/push-subscriptions/renew';
const PROFILE_PATH = '/profile';
// Where the worker keeps the endpoint this browser last had: Firefox before 137 fires the event without
// `oldSubscription`, and without the old endpoint the server cannot tell which method to renew.
const MEMORY_CACHE = 'siaga-push';
const MEMORY_KEY = '/sw/push-endpoint';

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(renewPushSubscription(event));
});

async function remember(endpoint) {
  const cache = await caches.open(MEMORY_CACHE);
  await cache.put(MEMORY_KEY, new Response(endpoint));
}

async function rememberedEndpoint() {
  try {
    const cache = await caches.open(MEMORY_CACHE);
    const hit = await cache.match(MEMORY_KEY);
    return hit ? (await hit.text()) || null : null;
  } catch {
    return null;
  }
}

/** Every push is a chance to note the endpoint; it must never get in the way of showing the page. */
async function rememberCurrentEndpoint() {
  try {
    const subscription = await self.registration.pushManager.getSubscription();
    if (subscription) await remember(subscription.endpoint);
  } catch {
    // Only a fallback for renewals.
  }
}

function base64UrlBytes(text) {
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The operator's VAPID public key, as the profile page subscribed with it. */
async function serverKey() {
  const res = await fetch('/api/v1/web-push', {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || typeof json.publicKey !== 'string')
    throw Object.assign(new Error(`GET /api/v1/web-push answered ${res.status} without a public key`), {
      status: res.status,
    });
  return base64UrlBytes(json.publicKey);
}

/** A cookie-authenticated write needs the session's CSRF token, which the session itself hands out. */
async function csrfToken() {
  const res = await fetch('/api/v1/auth/session', {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  const json = await res.json().catch(() => ({}));
  return res.ok && typeof json.csrfToken === 'string' ? json.csrfToken : null;
}

/**
 * The whole renewal, for the event handler and for the browser test (test/ui/web-push.test.ts), which calls it in
 * the real worker with an event's fields because nothing can fire a real `pushsubscriptionchange` without a push
 * service. Uses the subscription the browser already made (`newSubscription`) or makes one with the old one's key
 * (else the server's). Resolves with what happened: 'renewed', 'unknown' (the server has no push method of this
 * person with the old endpoint: nothing to do) or 'failed' (then a notification asks the person to enable push
 * again, since pages no longer reach this browser).
 */
async function renewPushSubscription(event, pushManager = self.registration.pushManager) {
  const old = event.oldSubscription || null;
  let status;
  try {
    const oldEndpoint = old ? old.endpoint : await rememberedEndpoint();
    const key = old && old.options ? old.options.applicationServerKey : null;
    const subscription =
      event.newSubscription ||
      (await pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key || (await serverKey()),
      }));
    const json = subscription.toJSON();
    if (!oldEndpoint) throw new Error('the browser did not say which subscription ended');
    const csrf = await csrfToken();
    const res = await fetch(RENEW_PATH, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
      },
      credentials: 'same-origin',
      body: JSON.stringify({ oldEndpoint, endpoint: json.endpoint, keys: json.keys }),
    });
    status = res.status;
    if (res.ok) {
      await remember(json.endpoint);
      return 'renewed';
    }
    if (res.status === 404) return 'unknown';
  } catch (error) {
    // Offline, signed out, or the browser refused a new subscription: say so below.
    status = error && error.status;
  }
  await self.registration.showNotification('Siaga cannot page this browser any more', {
    body:
      status === 401
        ? 'The browser renewed its push subscription while you were signed out. Sign in and enable push again in your profile.'
        : 'The browser renewed its push subscription and Siaga could not be told. Enable push again in your profile.',
    tag: 'siaga-push-renewal',
    icon: ICON,
    badge: ICON,
    data: { url: new URL(PROFILE_PATH, self.location.origin).href },
  });
  return 'failed';
}
