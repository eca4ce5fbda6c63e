/**
 * Web Push plumbing shared by the page and the service worker: the server's VAPID key,
 * subscription upserts (the page re-sends its subscription at every start) and, after
 * `pushsubscriptionchange`, the swap old endpoint → new one, queued in the outbox.
 */
import { getPushRecord, getSession, putPushRecord } from './db';
import { request } from './http';
import { enqueue } from './outbox';

export const SUBSCRIPTION_CHANGE_PATH = '/push/subscriptions/change';

interface VapidKey {
  public_key: string;
}

interface SavedSubscription {
  id: string;
}

export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/** The server's applicationServerKey; fetched each time so a key rotation needs no new build. */
export async function fetchApplicationServerKey(): Promise<Uint8Array<ArrayBuffer>> {
  const session = await getSession();
  const { data } = await request<VapidKey>('GET', '/push/vapid-public-key', { token: session?.token });
  return base64UrlToBytes(data.public_key);
}

/**
 * Upserts the subscription on the server (by endpoint) and remembers its id on this device.
 * Returns the server's id, or null when this device has no account.
 */
export async function saveSubscription(subscription: PushSubscription, deviceLabel?: string): Promise<string | null> {
  const session = await getSession();
  if (!session) return null;
  const body = { ...subscription.toJSON(), ...(deviceLabel ? { user_agent: deviceLabel } : {}) };
  const { data } = await request<SavedSubscription>('POST', '/push/subscriptions', { token: session.token, body });
  await putPushRecord({ subscriptionId: data.id, endpoint: subscription.endpoint });
  return data.id;
}

/**
 * Queues "this device's subscription `oldEndpoint` is now `subscription`" in the outbox, so it
 * reaches the server even when the change happens offline (sent in order, retried, idempotent on
 * the server). The device remembers the new endpoint at once.
 */
export async function queueSubscriptionChange(oldEndpoint: string | null, subscription: PushSubscription): Promise<void> {
  const record = await getPushRecord();
  await enqueue({
    id: crypto.randomUUID(),
    method: 'POST',
    path: SUBSCRIPTION_CHANGE_PATH,
    body: { old_endpoint: oldEndpoint, subscription: subscription.toJSON() as Record<string, unknown> },
    meta: null,
  });
  if (record) await putPushRecord({ ...record, endpoint: subscription.endpoint });
}

/** Forgets this device's subscription on the server (best effort) and on the device. */
export async function forgetSubscription(): Promise<void> {
  const [session, record] = await Promise.all([getSession(), getPushRecord()]);
  if (session && record) {
    await request('DELETE', `/push/subscriptions/${encodeURIComponent(record.subscriptionId)}`, { token: session.token }).catch(
      () => undefined,
    );
  }
  await putPushRecord(null);
}
