/** Web Push in the worker: every push shows a notification; taps and actions; subscription renewal. */
import { lockScreenWording } from '../lib/lockScreen';
import { fetchApplicationServerKey, saveSubscription } from '../lib/push';
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

async function renewSubscription(event: PushSubscriptionChangeEvent): Promise<void> {
  let subscription = event.newSubscription;
  if (!subscription) {
    const oldKey = event.oldSubscription?.options.applicationServerKey;
    const applicationServerKey = oldKey ? new Uint8Array(oldKey) : await fetchApplicationServerKey();
    subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  }
  await saveSubscription(subscription);
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
    event.waitUntil(renewSubscription(event));
  }) as EventListener);
}
