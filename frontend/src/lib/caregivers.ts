/** Caregiver calls, loaded only with the caregiver screens (kept out of the first-load budget). */
import { getSession } from './db';
import { request } from './http';
import type { CaregiverInvite, CaregiverLink, Caregiving } from '../types';

async function patient<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = await getSession();
  return (await request<T>(method, path, { token: session?.token, body })).data;
}

/** The patient's side: invites, the list, the switches, the preview, removal. */
export const caregiversApi = {
  createInvite: (courseId: string) =>
    patient<CaregiverInvite>('POST', `/courses/${encodeURIComponent(courseId)}/caregiver-invites`, {}),
  list: () => patient<CaregiverLink[]>('GET', '/caregivers'),
  update: (id: string, patch: { show_appointments?: boolean; nudge_allowed?: boolean }) =>
    patient<CaregiverLink>('PATCH', `/caregivers/${encodeURIComponent(id)}`, patch),
  remove: (id: string) => patient<null>('DELETE', `/caregivers/${encodeURIComponent(id)}`),
  removeAll: () => patient<null>('DELETE', '/caregivers'),
  preview: (id: string) => patient<Caregiving>('GET', `/caregivers/${encodeURIComponent(id)}/preview`),
};

/** The caregiver phone's side: its own token, never the patient's session. */
export const caregiverApi = {
  join: async (code: string) => (await request<{ id: string; token: string }>('POST', '/caregiving/join', { body: { code } })).data,
  view: async (token: string) => (await request<Caregiving>('GET', '/caregiving', { token })).data,
  leave: async (token: string) => (await request<null>('DELETE', '/caregiving', { token })).data,
  settings: async (token: string, body: CaregivingSettings) =>
    (await request<Caregiving>('PUT', '/caregiving/settings', { token, body })).data,
  vapidKey: async (token: string) => (await request<{ public_key: string }>('GET', '/caregiving/vapid-public-key', { token })).data.public_key,
  savePush: async (token: string, subscription: PushSubscriptionJSON) =>
    (await request<Caregiving>('PUT', '/caregiving/push-subscription', { token, body: subscription })).data,
};

/** The caregiver's own choices: the nudge, and quiet hours (both or neither), in the course's time zone. */
export interface CaregivingSettings {
  nudge: boolean;
  quiet_start: string | null;
  quiet_end: string | null;
}
