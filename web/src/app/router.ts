import { useCallback, useSyncExternalStore, type MouseEvent } from 'react';

/**
 * A tiny router over the History API: the URL is the only state, so deep links, reloads and
 * back/forward all work. The server answers unknown non-API GETs with index.html.
 */

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** `/detect/` and `/detect` are the same page. */
export function normalizePath(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function currentPath(): string {
  return normalizePath(window.location.pathname);
}

function currentSearch(): string {
  return window.location.search;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (target === window.location.pathname + window.location.search + window.location.hash) return;
  if (options.replace === true) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** The query string (`?a=1`, or '' when there is none); parse it with URLSearchParams. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}

/**
 * Where to go after signing in: an in-app path from `?next=`, never another site (`//evil.example`) nor the
 * sign-in pages themselves.
 */
export function safeNext(next: string | null): string {
  if (next === null || !next.startsWith('/')) return '/';
  const url = new URL(next, window.location.origin);
  if (url.origin !== window.location.origin) return '/';
  const path = normalizePath(url.pathname);
  return path === '/login' || path === '/setup' ? '/' : url.pathname + url.search + url.hash;
}

export interface LinkProps {
  href: string;
  onClick: (event: MouseEvent<HTMLAnchorElement>) => void;
}

/** Props for an `<a>` that navigates in-app on a plain left click and behaves natively otherwise (new tab etc.). */
export function useLink(to: string, onNavigate?: () => void): LinkProps {
  const onClick = useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      const plainClick =
        event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
      if (!plainClick || event.defaultPrevented || event.currentTarget.target === '_blank') return;
      event.preventDefault();
      navigate(to);
      onNavigate?.();
    },
    [to, onNavigate],
  );
  return { href: to, onClick };
}
