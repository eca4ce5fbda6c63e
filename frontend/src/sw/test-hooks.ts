/**
 * Browser-test hook, active only when the app is served from a loopback address (127.0.0.1,
 * localhost, ::1). No browser API can press a notification's action button, so tests post
 * `{type: 'TEST_NOTIFICATION_CLICK', action, data}` with a MessagePort and get the outcome back; the
 * message runs exactly the function `notificationclick` runs. A page of this origin can already do
 * everything the handler does, so the hook grants nothing new.
 */
import { respondToClick } from './notification-click';

declare let self: ServiceWorkerGlobalScope;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function registerTestHooks(): void {
  if (!LOOPBACK.has(self.location.hostname)) return;
  self.addEventListener('message', (event) => {
    if (event.data?.type !== 'TEST_NOTIFICATION_CLICK') return;
    const port = event.ports[0];
    event.waitUntil(
      respondToClick(String(event.data.action ?? ''), event.data.data).then(
        (outcome) => port?.postMessage({ ok: true, outcome }),
        (error: unknown) => port?.postMessage({ ok: false, error: String(error) }),
      ),
    );
  });
}
