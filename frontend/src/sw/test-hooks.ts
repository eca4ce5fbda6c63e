/**
 * Browser-test hooks, active only when the app is served from a loopback address (127.0.0.1,
 * localhost, ::1). No browser API can press a notification's action button, so tests post
 * `{type: 'TEST_NOTIFICATION_CLICK', action, data}` with a MessagePort and get the outcome back; the
 * message runs exactly the function `notificationclick` runs. No browser API fires
 * `pushsubscriptionchange` either (and Chromium cannot subscribe without Google's push backend), so
 * `{type: 'TEST_PUSH_SUBSCRIPTION_CHANGE', old: {endpoint, key} | null, next}` runs exactly what the
 * event runs, with the browser's `subscribe` replaced by one that answers `next` (a subscription the
 * local push service minted) and reports the key it was asked for. A page of this origin can already
 * do everything the handlers do, so the hooks grant nothing new.
 */
import { base64UrlToBytes } from '../lib/push';
import { respondToClick } from './notification-click';
import { renewSubscription } from './push';

declare let self: ServiceWorkerGlobalScope;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function registerTestHooks(): void {
  if (!LOOPBACK.has(self.location.hostname)) return;
  self.addEventListener('message', (event) => {
    if (event.data?.type === 'TEST_PUSH_SUBSCRIPTION_CHANGE') {
      const port = event.ports[0];
      event.waitUntil(
        testSubscriptionChange(event.data.old, event.data.next).then(
          (outcome) => port?.postMessage({ ok: true, ...outcome }),
          (error: unknown) => port?.postMessage({ ok: false, error: String(error) }),
        ),
      );
      return;
    }
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

interface SubscriptionJson {
  endpoint: string;
  expirationTime: number | null;
  keys: { p256dh: string; auth: string };
}

function fakeSubscription(json: SubscriptionJson, key: ArrayBuffer | null): PushSubscription {
  return {
    endpoint: json.endpoint,
    expirationTime: json.expirationTime,
    options: { userVisibleOnly: true, applicationServerKey: key },
    toJSON: () => json,
  } as unknown as PushSubscription;
}

function bytesToBase64Url(buffer: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function testSubscriptionChange(
  old: { endpoint: string; key: string } | null,
  next: SubscriptionJson,
): Promise<{ askedKey: string | null; report: unknown }> {
  let askedKey: string | null = null;
  const previous = old ? fakeSubscription({ endpoint: old.endpoint, expirationTime: null, keys: { p256dh: '', auth: '' } }, base64UrlToBytes(old.key).buffer) : null;
  const report = await renewSubscription(previous, null, async (options) => {
    const key = options.applicationServerKey;
    askedKey = key instanceof ArrayBuffer ? bytesToBase64Url(key) : key ? bytesToBase64Url((key as Uint8Array<ArrayBuffer>).slice().buffer) : null;
    return fakeSubscription(next, null);
  });
  return { askedKey, report };
}
