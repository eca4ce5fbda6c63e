/** History-API routing: one signal holds the current path. */
import { signal } from '@preact/signals';

export type RouteName =
  | 'today'
  | 'timeline'
  | 'reminders'
  | 'appointments'
  | 'settings'
  | 'onboarding'
  | 'sources'
  | 'journal'
  | 'mood'
  | 'photos'
  | 'supply'
  | 'charts'
  | 'report'
  | 'not-found';

const ROUTES: Record<string, RouteName> = {
  '/': 'today',
  '/timeline': 'timeline',
  '/reminders': 'reminders',
  '/appointments': 'appointments',
  '/settings': 'settings',
  '/onboarding': 'onboarding',
  '/sources': 'sources',
  '/journal': 'journal',
  '/mood': 'mood',
  '/photos': 'photos',
  '/supply': 'supply',
  '/charts': 'charts',
  '/report': 'report',
};

export const currentPath = signal(location.pathname);
export const currentSearch = signal(location.search);
/** The `#…` part of the address; a change scrolls to its target (see scrollToHash). */
export const currentHash = signal(location.hash);

export function routeOf(path: string): RouteName {
  return ROUTES[path.replace(/\/+$/, '') || '/'] ?? 'not-found';
}

export function navigate(to: string, { replace = false } = {}): void {
  const url = new URL(to, location.origin);
  if (url.pathname + url.search + url.hash === location.pathname + location.search + location.hash && !replace) return;
  if (replace) history.replaceState(null, '', url.pathname + url.search + url.hash);
  else history.pushState(null, '', url.pathname + url.search + url.hash);
  currentPath.value = url.pathname;
  currentSearch.value = url.search;
  currentHash.value = url.hash;
}

addEventListener('popstate', () => {
  currentPath.value = location.pathname;
  currentSearch.value = location.search;
  currentHash.value = location.hash;
});

const HASH_WAIT_MS = 3000;

/**
 * Scrolls to the element the address's `#id` names and moves focus there. The element may only
 * appear once saved data or a lazy screen has loaded, so this waits for it (up to 3 s). Returns a
 * function that stops waiting.
 */
export function scrollToHash(hash: string): () => void {
  const id = decodeURIComponent(hash.replace(/^#/, ''));
  if (!id) return () => undefined;
  const reveal = (): boolean => {
    const target = document.getElementById(id);
    if (!target) return false;
    const details = target.closest('details');
    if (details) details.open = true;
    if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(target.tagName)) {
      target.setAttribute('tabindex', '-1');
    }
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
    return true;
  };
  if (reveal()) return () => undefined;
  const observer = new MutationObserver(() => {
    if (reveal()) stop();
  });
  const timer = setTimeout(() => stop(), HASH_WAIT_MS);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  observer.observe(document.body, { childList: true, subtree: true });
  return stop;
}

/** Handles a click on an in-app link without a page load (modified clicks keep browser behaviour). */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target && anchor.target !== '_self') return;
  if (anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search + anchor.hash);
}
