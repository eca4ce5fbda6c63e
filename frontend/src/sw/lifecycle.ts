/** Install/activate behaviour: wait for the user before taking over, claim pages on first install. */
declare let self: ServiceWorkerGlobalScope;

export function registerLifecycle(): void {
  self.addEventListener('message', (event) => {
    if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
  });
  self.addEventListener('activate', (event) => {
    event.waitUntil(self.clients.claim());
  });
}
