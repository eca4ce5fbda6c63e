/** Service worker registration, the "new version" prompt and Background Sync hints. */
import { signal } from '@preact/signals';
import { navigate } from './router';
import { OUTBOX_SYNC_TAG } from './sw/constants';

export const updateReady = signal(false);

const UPDATE_CHECK_MS = 60 * 60_000;

/** Follows the worker's "open this screen" messages (a tapped reminder); call at start so none is missed. */
export function listenToServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: string; url?: unknown }>) => {
    const url = event.data?.url;
    if (event.data?.type === 'NAVIGATE' && typeof url === 'string' && url.startsWith('/') && !url.startsWith('//')) navigate(url);
  });
}

/** Registers the worker and watches for a waiting update (call once the page has loaded; workbox-window
 * is fetched then, so it is not part of the first load). */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const { Workbox } = await import('workbox-window');
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    updateReady.value = true;
  });
  void workbox
    .register()
    .then((registration) => {
      if (registration?.waiting && navigator.serviceWorker.controller) updateReady.value = true;
      setInterval(() => void registration?.update().catch(() => undefined), UPDATE_CHECK_MS);
    })
    .catch(() => undefined);
}

/** Activates the waiting version when the patient asks; the page reloads once the new worker controls it. */
export async function applyUpdate(): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration();
  const waiting = registration?.waiting;
  if (!waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  waiting.postMessage({ type: 'SKIP_WAITING' });
}

/** Asks the browser to flush the outbox from the service worker when it is back online (Chromium only). */
export async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as
    | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
    | undefined;
  await registration?.sync?.register(OUTBOX_SYNC_TAG).catch(() => undefined);
}
