/** History-API routing: one signal holds the current path. */
import { signal } from '@preact/signals';

export type RouteName = 'today' | 'timeline' | 'reminders' | 'appointments' | 'settings' | 'onboarding' | 'sources' | 'not-found';

const ROUTES: Record<string, RouteName> = {
  '/': 'today',
  '/timeline': 'timeline',
  '/reminders': 'reminders',
  '/appointments': 'appointments',
  '/settings': 'settings',
  '/onboarding': 'onboarding',
  '/sources': 'sources',
};

export const currentPath = signal(location.pathname);
export const currentSearch = signal(location.search);

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
}

addEventListener('popstate', () => {
  currentPath.value = location.pathname;
  currentSearch.value = location.search;
});

/** Handles a click on an in-app link without a page load (modified clicks keep browser behaviour). */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target && anchor.target !== '_self') return;
  if (anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search + anchor.hash);
}
