/**
 * The caregiver phone's push subscription for the nudge: subscribed with the server's VAPID key (asked
 * with the caregiver token) and stored through the caregiver's own endpoint, never a patient's.
 */
import { caregiverApi } from '../lib/caregivers';
import { base64UrlToBytes, sameKey } from '../lib/push';
import { permission, pushSupport, type PushSupport } from '../push';
import type { Caregiving } from '../types';

export type PushOutcome = 'on' | 'denied' | 'dismissed' | Exclude<PushSupport, 'supported'>;

async function subscribe(token: string): Promise<PushSubscription> {
  const key = base64UrlToBytes(await caregiverApi.vapidKey(token));
  const reg = await navigator.serviceWorker.ready;
  const existing = await reg.pushManager.getSubscription();
  if (existing && sameKey(existing.options.applicationServerKey, key)) return existing;
  await existing?.unsubscribe();
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

/** From a tap: ask permission (first, in the tap's task), subscribe, store it on the server. */
export async function turnOnPush(token: string): Promise<{ outcome: PushOutcome; view?: Caregiving }> {
  const support = pushSupport();
  if (support !== 'supported') return { outcome: support };
  const answer = await Notification.requestPermission();
  if (answer !== 'granted') return { outcome: answer === 'denied' ? 'denied' : 'dismissed' };
  const subscription = await subscribe(token);
  return { outcome: 'on', view: await caregiverApi.savePush(token, subscription.toJSON()) };
}

/**
 * At every start with the nudge on and permission granted: send the current subscription again (the
 * push service may have replaced it; Chrome never says so), subscribing afresh if the browser lost it.
 */
export async function resyncPush(token: string, view: Caregiving): Promise<void> {
  if (!view.nudge || pushSupport() !== 'supported' || permission() !== 'granted') return;
  const subscription = await subscribe(token);
  await caregiverApi.savePush(token, subscription.toJSON());
}
