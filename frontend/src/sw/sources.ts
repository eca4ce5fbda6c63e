/**
 * The clinical facts list (GET /api/v1/sources) for the Sources page, kept by the service worker: it is
 * fetched when the worker installs (off the page's first load and its main thread) and answered
 * network-first: from this cache when offline or when the network has not answered within 4 s. The page
 * keeps its own copy in IndexedDB as well. The cached answer varies by Accept-Language, and the copy fetched at
 * install went with the browser's header, not the page's: the fallback ignores Vary, as any language's list
 * is better than none offline.
 */
import { registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { SOURCES_CACHE, SOURCES_URL } from './constants';

declare let self: ServiceWorkerGlobalScope;

export function registerSourcesCache(): void {
  registerRoute(({ url, request }) => request.method === 'GET' && url.pathname === SOURCES_URL, new NetworkFirst({ cacheName: SOURCES_CACHE, networkTimeoutSeconds: 4, matchOptions: { ignoreVary: true } }));
  self.addEventListener('install', (event) => {
    event.waitUntil(
      caches
        .open(SOURCES_CACHE)
        .then((cache) => cache.add(SOURCES_URL))
        .catch(() => undefined),
    );
  });
}
