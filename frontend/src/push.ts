/**
 * Reminders on this device, page side: what the browser supports, turning push on from a tap, and
 * re-sending the subscription at every start (Chrome never fires `pushsubscriptionchange`).
 */
import { deviceKind } from './api';
import { getDb, getPushRecord } from './lib/db';
import { fetchApplicationServerKey, forgetSubscription, saveSubscription, sameKey } from './lib/push';

/** `ios-install-first`: iPhone/iPad Safari in a tab, where push only works once added to the Home Screen. */
export type PushSupport = 'supported' | 'ios-install-first' | 'unsupported';

export type TurnOnResult = 'on' | 'denied' | 'dismissed';

/** How long turning reminders on may take once permission is given, before the patient is told what to try. */
export const TURN_ON_TIMEOUT_MS = 15_000;

/** The browser's push service (or the server) did not answer in time. */
export class TurnOnTimeout extends Error {
  constructor() {
    super('Turning on reminders took too long.');
    this.name = 'TurnOnTimeout';
  }
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TurnOnTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function isIos(): boolean {
  const { userAgent, maxTouchPoints } = navigator;
  return /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
}

export function isStandalone(): boolean {
  const standalone = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return standalone || matchMedia('(display-mode: standalone)').matches || matchMedia('(display-mode: fullscreen)').matches;
}

export function pushSupport(): PushSupport {
  if (isIos() && !isStandalone()) return 'ios-install-first';
  const ok = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;
  return ok ? 'supported' : 'unsupported';
}

export function permission(): NotificationPermission {
  return 'Notification' in window ? Notification.permission : 'denied';
}

/** Whether this browser gets reminders now: allowed, subscribed, and that subscription known to the server. */
export async function remindersOnHere(): Promise<boolean> {
  if (pushSupport() !== 'supported' || permission() !== 'granted') return false;
  const [subscription, record] = await Promise.all([currentSubscription(), getPushRecord()]);
  return Boolean(subscription && record?.endpoint === subscription.endpoint);
}

const NUDGE_KEY = 'reminder-nudge-dismissed';

/** Whether the patient said "Not now" to Today's "Reminders are off on this phone" line. */
export async function reminderNudgeDismissed(): Promise<boolean> {
  return (await (await getDb()).get('kv', NUDGE_KEY)) === true;
}

export async function dismissReminderNudge(): Promise<void> {
  await (await getDb()).put('kv', true, NUDGE_KEY);
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

/** This browser's subscription, if reminders are on here. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await registration();
  return reg ? reg.pushManager.getSubscription() : null;
}

async function subscribe(reg: ServiceWorkerRegistration, key: Uint8Array<ArrayBuffer>): Promise<PushSubscription> {
  const existing = await reg.pushManager.getSubscription();
  if (existing && sameKey(existing.options.applicationServerKey, key)) return existing;
  await existing?.unsubscribe();
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

/**
 * Call from a tap only. The permission prompt is requested first, in the same task as the tap
 * (Safari drops the gesture across an `await`), while the server's key loads alongside. Once
 * permission is given, the rest (service worker, push service, server) must finish within
 * TURN_ON_TIMEOUT_MS or it throws TurnOnTimeout: a push service that never answers would spin forever.
 */
export async function turnOnReminders(timeoutMs = TURN_ON_TIMEOUT_MS): Promise<TurnOnResult> {
  const asked = Notification.requestPermission();
  const keyLoad = fetchApplicationServerKey();
  keyLoad.catch(() => undefined);
  const answer = await asked;
  if (answer !== 'granted') return answer === 'denied' ? 'denied' : 'dismissed';
  return within(
    (async () => {
      const reg = await navigator.serviceWorker.ready;
      const subscription = await subscribe(reg, await keyLoad);
      await saveSubscription(subscription, deviceKind());
      return 'on' as const;
    })(),
    timeoutMs,
  );
}

/** Stops reminders on this device: the browser subscription and the server's copy. */
export async function turnOffReminders(): Promise<void> {
  await (await currentSubscription())?.unsubscribe();
  await forgetSubscription();
}

/**
 * At every app start, when reminders were turned on on this device and permission is granted:
 * re-send the current subscription (an upsert; it also tells the server the device is alive). If
 * the browser lost the subscription, subscribe again silently: permission is granted, so no prompt.
 */
export async function syncPushSubscription(): Promise<void> {
  if (pushSupport() !== 'supported' || permission() !== 'granted' || !(await getPushRecord())) return;
  const reg = await registration();
  if (!reg) return;
  const subscription = (await reg.pushManager.getSubscription()) ?? (await subscribe(reg, await fetchApplicationServerKey()));
  await saveSubscription(subscription, deviceKind());
}
