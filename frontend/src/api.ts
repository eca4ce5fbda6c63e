/** Typed calls to the ClearCourse API (reads and account actions; dose writes go through the outbox). */
import { getSession } from './lib/db';
import { request } from './lib/http';
import type { Course, CourseInput, Device, DoseLog, LinkCode, Timeline, Today } from './types';

export interface NewPatient {
  id: string;
  token: string;
  device_id: string;
}

export interface LinkedDevice {
  id: string;
  patient_id: string;
  token: string;
}

/** A coarse, non-identifying name for this device in the devices list. */
export function deviceKind(): string {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return 'iPhone';
  if (/iPad/.test(ua)) return 'iPad';
  if (/Android/.test(ua)) return /Mobile/.test(ua) ? 'Android phone' : 'Android tablet';
  return 'Computer';
}

async function authed<T>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
  const session = await getSession();
  const { data } = await request<T>(method, path, { token: session?.token, body, query });
  return data;
}

export const api = {
  createPatient: async () => (await request<NewPatient>('POST', '/patients', { body: { label: deviceKind() } })).data,
  joinWithCode: async (code: string, label: string) =>
    (await request<LinkedDevice>('POST', '/devices', { body: { code, label } })).data,
  createLinkCode: () => authed<LinkCode>('POST', '/link-codes', {}),
  devices: () => authed<Device[]>('GET', '/devices'),
  removeDevice: (id: string) => authed<null>('DELETE', `/devices/${encodeURIComponent(id)}`),
  exportData: () => authed<unknown>('GET', '/me/export'),
  deleteAccount: () => authed<null>('DELETE', '/me'),
  courses: () => authed<Course[]>('GET', '/courses'),
  createCourse: (input: CourseInput) => authed<Course>('POST', '/courses', input),
  updateCourse: (id: string, patch: Partial<Course>) =>
    authed<Course>('PATCH', `/courses/${encodeURIComponent(id)}`, patch),
  today: (courseId: string, date: string) =>
    authed<Today>('GET', `/courses/${encodeURIComponent(courseId)}/today`, undefined, { date }),
  timeline: (courseId: string, date: string) =>
    authed<Timeline>('GET', `/courses/${encodeURIComponent(courseId)}/timeline`, undefined, { date }),
  doses: (courseId: string, from: string, to: string) =>
    authed<DoseLog[]>('GET', `/courses/${encodeURIComponent(courseId)}/doses`, undefined, { from, to }),
};
