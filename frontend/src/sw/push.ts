/** Web Push in the worker: every push shows a notification; taps and actions; subscription renewal. */
import { getCaregiverToken, getPushRecord, getSession } from '../lib/db';
import { request } from '../lib/http';
import { lockScreenWording } from '../lib/lockScreen';
import { flushOutbox, type FlushReport } from '../lib/outbox';
import { base64UrlToBytes, fetchApplicationServerKey, queueSubscriptionChange } from '../lib/push';
import { OUTBOX_SYNC_TAG } from './constants';
import { respondToClick } from './notification-click';
import { notificationFor, readPushData } from './payload';

declare let self: ServiceWorkerGlobalScope;

/** Fired by Firefox and Safari when the push service replaces a subscription (Chrome never fires it). */
interface PushSubscriptionChangeEvent extends ExtendableEvent {
  readonly oldSubscription: PushSubscription | null;
  readonly newSubscription: PushSubscription | null;
}

function maxActions(): number {
  const limit = (self as unknown as { Notification?: { maxActions?: number } }).Notification?.maxActions;
  return typeof limit === 'number' ? limit : 0;
}

/** Always resolves with a notification shown: browsers penalise a push that shows none. */
async function showReminder(event: PushEvent): Promise<void> {
  const wording = await lockScreenWording();
  const { title, options } = notificationFor(readPushData(event.data, self.location.origin), maxActions(), wording);
  await self.registration.showNotification(title, options);
}

export type Subscribe = (options: PushSubscriptionOptionsInit) => Promise<PushSubscription>;

interface SyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/**
 * `pushsubscriptionchange`: use the browser's new subscription, or subscribe again with the same
 * VAPID key (the old subscription's, else the server's), then tell the server old → new through the
 * outbox: sent now when online, else kept and sent by Background Sync or the app's next start.
 * `subscribe` is the browser's `pushManager.subscribe` (the test hook passes its own). A caregiver's
 * phone sends its new subscription to its own endpoint instead (`renewCaregiverSubscription`).
 */
export async function renewSubscription(
  oldSubscription: PushSubscription | null,
  newSubscription: PushSubscription | null,
  subscribe: Subscribe = (options) => self.registration.pushManager.subscribe(options),
): Promise<FlushReport | null> {
  const caregiverToken = (await getSession()) ? null : await getCaregiverToken();
  if (caregiverToken) return renewCaregiverSubscription(caregiverToken, oldSubscription, newSubscription, subscribe);
  const subscription = await resubscribed(oldSubscription, newSubscription, subscribe, fetchApplicationServerKey);
  const oldEndpoint = oldSubscription?.endpoint ?? (await getPushRecord())?.endpoint ?? null;
  await queueSubscriptionChange(oldEndpoint === subscription.endpoint ? null : oldEndpoint, subscription);
  const report = await flushOutbox().catch(() => null);
  if (!report || report.stopped === 'offline') {
    await (self.registration as SyncRegistration).sync?.register(OUTBOX_SYNC_TAG).catch(() => undefined);
  }
  return report;
}

/** The browser's new subscription, or a new one with the old subscription's VAPID key (else `serverKey()`). */
async function resubscribed(
  oldSubscription: PushSubscription | null,
  newSubscription: PushSubscription | null,
  subscribe: Subscribe,
  serverKey: () => Promise<Uint8Array<ArrayBuffer>>,
): Promise<PushSubscription> {
  if (newSubscription) return newSubscription;
  const oldKey = oldSubscription?.options?.applicationServerKey;
  return subscribe({ userVisibleOnly: true, applicationServerKey: oldKey ? new Uint8Array(oldKey) : await serverKey() });
}

/**
 * A caregiver's phone (a caregiver token, no patient session): its one subscription goes to its own
 * endpoint, which replaces the old one. Offline it is not queued: the caregiver app sends the current
 * subscription again at its next start.
 */
async function renewCaregiverSubscription(
  token: string,
  oldSubscription: PushSubscription | null,
  newSubscription: PushSubscription | null,
  subscribe: Subscribe,
): Promise<null> {
  const serverKey = async () =>
    base64UrlToBytes((await request<{ public_key: string }>('GET', '/caregiving/vapid-public-key', { token })).data.public_key);
  const subscription = await resubscribed(oldSubscription, newSubscription, subscribe, serverKey);
  await request('PUT', '/caregiving/push-subscription', { token, body: subscription.toJSON() }).catch(() => undefined);
  return null;
}

export function registerPush(): void {
  self.addEventListener('push', (event) => {
    event.waitUntil(showReminder(event));
  });
  self.addEventListener('notificationclick', (event) => {
    event.notification.close();
    event.waitUntil(respondToClick(event.action, event.notification.data));
  });
  self.addEventListener('pushsubscriptionchange' as keyof ServiceWorkerGlobalScopeEventMap, ((event: PushSubscriptionChangeEvent) => {
    event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription));
  }) as EventListener);
}
