/** History-API routing: one signal holds the current path. */
import { signal } from '@preact/signals';

export type RouteName =
  | 'today'
  | 'timeline'
  | 'reminders'
  | 'get-reminders'
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
  | 'help'
  | 'not-found';

const ROUTES: Record<string, RouteName> = {
  '/': 'today',
  '/timeline': 'timeline',
  '/reminders': 'reminders',
  '/get-reminders': 'get-reminders',
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
  '/help': 'help',
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
const USER_SCROLL = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

/**
 * Keeps the element named `id` at the top while content above it is still loading (a chart, a list), for
 * `ms` or until the patient scrolls or taps themselves. A screen that draws the element again (its saved
 * copy, then the server's) replaces the node: focus, lost with the old one, moves to the new one.
 */
function holdInView(id: string, first: HTMLElement, ms: number): () => void {
  let target = first;
  const follow = () => {
    const now = document.getElementById(id);
    if (now && now !== target && !target.isConnected) {
      target = now;
      if (!document.activeElement || document.activeElement === document.body) target.focus({ preventScroll: true });
    }
    target.scrollIntoView({ block: 'start', behavior: 'instant' });
  };
  const resize = new ResizeObserver(follow);
  const redrawn = new MutationObserver(() => {
    if (!target.isConnected) follow();
  });
  const stop = () => {
    resize.disconnect();
    redrawn.disconnect();
    clearTimeout(timer);
    for (const type of USER_SCROLL) removeEventListener(type, stop, true);
  };
  const timer = setTimeout(stop, ms);
  for (const type of USER_SCROLL) addEventListener(type, stop, true);
  resize.observe(document.body);
  redrawn.observe(document.body, { childList: true, subtree: true });
  return stop;
}

/**
 * Scrolls to the element the address's `#id` names and moves focus there. The element may only
 * appear once saved data or a lazy screen has loaded, so this waits for it (up to 3 s), then holds it
 * in place while the rest of the screen settles. Returns a function that stops both.
 */
export function scrollToHash(hash: string): () => void {
  const id = decodeURIComponent(hash.replace(/^#/, ''));
  if (!id) return () => undefined;
  let release: () => void = () => undefined;
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
    release = holdInView(id, target, HASH_WAIT_MS);
    return true;
  };
  if (reveal()) return () => release();
  const observer = new MutationObserver(() => {
    if (reveal()) stopWaiting();
  });
  const timer = setTimeout(() => stopWaiting(), HASH_WAIT_MS);
  const stopWaiting = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  observer.observe(document.body, { childList: true, subtree: true });
  return () => {
    stopWaiting();
    release();
  };
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
