/**
 * This browser's side of Web Push: the service worker at /sw.js shows what the server pushes, and a push
 * subscription made with the operator's VAPID public key becomes a `push` contact method.
 */

export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export type PushSupport = 'supported' | 'insecure' | 'unsupported';

/** Push needs a service worker, the Push and Notifications APIs, and a secure page (https, or localhost). */
export function pushSupport(): PushSupport {
  if (typeof window === 'undefined') return 'unsupported';
  if (!window.isSecureContext) return 'insecure';
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
    ? 'supported'
    : 'unsupported';
}

/** base64url (the VAPID public key as configured) → the bytes `applicationServerKey` takes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameBytes(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (a === null || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/** "Firefox on Linux": a name for the contact method that tells a person's browsers apart. */
export function browserName(userAgent: string): string {
  const browser = /Edg(e|A|iOS)?\//.test(userAgent)
    ? 'Edge'
    : /OPR\//.test(userAgent)
      ? 'Opera'
      : /Firefox\/|FxiOS\//.test(userAgent)
        ? 'Firefox'
        : /Chrome\/|CriOS\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : 'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Macintosh|Mac OS X/.test(userAgent)
          ? 'macOS'
          : /CrOS/.test(userAgent)
            ? 'ChromeOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : undefined;
  return system ? `${browser} on ${system}` : browser;
}

/** The endpoint this browser is subscribed with now, if any (no prompt, no registration). */
export async function currentSubscriptionEndpoint(): Promise<string | null> {
  if (pushSupport() !== 'supported') return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  const subscription = await registration?.pushManager.getSubscription();
  return subscription?.endpoint ?? null;
}

/**
 * Asks for permission, installs the service worker and subscribes with the server's VAPID public key. A
 * subscription made with another key (the operator replaced the keys) is dropped first: pushes signed with the new
 * key would be refused for it. `fresh` drops the browser's current subscription in any case, for a push method whose
 * push service said the subscription is gone (the browser may not know yet).
 */
export async function subscribeThisBrowser(
  publicKey: string,
  { fresh = false }: { fresh?: boolean } = {},
): Promise<BrowserSubscription> {
  // First, while the click still counts as a user gesture: some browsers ignore a prompt asked for later.
  const permission = await Notification.requestPermission();
  if (permission !== 'granted')
    throw new Error(
      'Notifications are not allowed for this site. Allow them in the browser’s site settings, then try again.',
    );
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  const key = base64UrlToBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && (fresh || !sameBytes(subscription.options.applicationServerKey, key))) {
    await subscription.unsubscribe();
    subscription = null;
  }
  try {
    subscription ??= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key,
    });
  } catch (error) {
    // The browser's own push service refused or could not be reached (private windows, some privacy settings).
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `This browser could not subscribe to push (${why}). Try a normal window, or another browser.`,
      { cause: error },
    );
  }
  const json = subscription.toJSON();
  const p256dh = json.keys?.['p256dh'];
  const auth = json.keys?.['auth'];
  if (!json.endpoint || !p256dh || !auth)
    throw new Error('The browser made a push subscription without keys; it cannot receive encrypted pushes.');
  return { endpoint: json.endpoint, keys: { p256dh, auth } };
}

/** The server stores endpoints as parsed URLs: compare them the same way. */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}
