/** Typed calls to the ClearCourse API (reads and account actions; dose writes go through the outbox). */
import { language, rememberServerLanguage } from './i18n/locale';
import { getSession } from './lib/db';
import { allPages, request } from './lib/http';
import type {
  Appointment,
  AppointmentInput,
  AppointmentSuggestion,
  Course,
  CourseInput,
  Device,
  DoseLog,
  Fact,
  LinkCode,
  PushDevice,
  PushTest,
  ReminderOccurrence,
  ReminderRule,
  ReminderRulePatch,
  ReminderSettings,
  Timeline,
  Today,
} from './types';

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

const appointmentsPath = (courseId: string) => `/courses/${encodeURIComponent(courseId)}/appointments`;

export type MilestoneAnswer = 'done' | 'not_done' | 'unknown';

async function authed<T>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
  const session = await getSession();
  const { data } = await request<T>(method, path, { token: session?.token, body, query });
  return data;
}

export const api = {
  createPatient: async () => {
    const lang = language.value;
    const made = (await request<NewPatient>('POST', '/patients', { body: { label: deviceKind(), language: lang } })).data;
    rememberServerLanguage(lang);
    return made;
  },
  joinWithCode: async (code: string, label: string) =>
    (await request<LinkedDevice>('POST', '/devices', { body: { code, label } })).data,
  createLinkCode: () => authed<LinkCode>('POST', '/link-codes', {}),
  devices: () => authed<Device[]>('GET', '/devices'),
  removeDevice: (id: string) => authed<null>('DELETE', `/devices/${encodeURIComponent(id)}`),
  deleteAccount: () => authed<null>('DELETE', '/me'),
  deleteCourse: (id: string) => authed<null>('DELETE', `/courses/${encodeURIComponent(id)}`),
  setLanguage: (language: string | null) => authed<{ language: string | null }>('PATCH', '/me', { language }),
  courses: () => authed<Course[]>('GET', '/courses'),
  createCourse: (input: CourseInput) => authed<Course>('POST', '/courses', input),
  answerMilestone: (courseId: string, kind: string, date: string, answer: MilestoneAnswer) =>
    authed<unknown>('PUT', `/courses/${encodeURIComponent(courseId)}/milestones/${encodeURIComponent(kind)}/${date}`, { answer }),
  answerBeforeStart: (courseId: string, answer: MilestoneAnswer) =>
    authed<unknown>('POST', `/courses/${encodeURIComponent(courseId)}/milestones/before-start`, { answer }),
  updateCourse: (id: string, patch: Partial<Course> & { confirm_start_date?: boolean }) =>
    authed<Course>('PATCH', `/courses/${encodeURIComponent(id)}`, patch),
  today: (courseId: string, date: string) =>
    authed<Today>('GET', `/courses/${encodeURIComponent(courseId)}/today`, undefined, { date }),
  timeline: (courseId: string, date: string) =>
    authed<Timeline>('GET', `/courses/${encodeURIComponent(courseId)}/timeline`, undefined, { date }),
  doses: async (courseId: string, from: string, to: string) =>
    allPages<DoseLog>(`/courses/${encodeURIComponent(courseId)}/doses`, { token: (await getSession())?.token, query: { from, to } }),
  reminders: (courseId?: string) =>
    authed<ReminderRule[]>('GET', '/reminders', undefined, courseId ? { course_id: courseId } : undefined),
  updateReminder: (id: string, patch: ReminderRulePatch) =>
    authed<ReminderRule>('PATCH', `/reminders/${encodeURIComponent(id)}`, patch),
  reminderSettings: () => authed<ReminderSettings>('GET', '/reminders/settings'),
  saveReminderSettings: (settings: ReminderSettings) => authed<ReminderSettings>('PUT', '/reminders/settings', settings),
  upcomingReminders: (from: string, to: string) =>
    authed<ReminderOccurrence[]>('GET', '/reminders/upcoming', undefined, { from, to }),
  pushDevices: () => authed<PushDevice[]>('GET', '/push/subscriptions'),
  removePushDevice: (id: string) => authed<null>('DELETE', `/push/subscriptions/${encodeURIComponent(id)}`),
  /** A test notification to every device, or only to the device whose subscription is `subscriptionId`. */
  sendTestPush: (subscriptionId?: string) =>
    authed<PushTest>('POST', '/push/test', subscriptionId ? { subscription_id: subscriptionId } : {}),
  pushTest: (id: string) => authed<PushTest>('GET', `/push/tests/${encodeURIComponent(id)}`),
  appointments: async (courseId: string) => allPages<Appointment>(appointmentsPath(courseId), { token: (await getSession())?.token }),
  suggestedAppointments: (courseId: string) =>
    authed<AppointmentSuggestion[]>('GET', `${appointmentsPath(courseId)}/suggested`),
  createAppointment: (courseId: string, input: AppointmentInput) =>
    authed<Appointment>('POST', appointmentsPath(courseId), input),
  updateAppointment: (courseId: string, id: string, patch: Partial<AppointmentInput>) =>
    authed<Appointment>('PATCH', `${appointmentsPath(courseId)}/${encodeURIComponent(id)}`, patch),
  sources: async () => (await request<Fact[]>('GET', '/sources', { swCached: true })).data,
  deleteAppointment: (courseId: string, id: string) =>
    authed<null>('DELETE', `${appointmentsPath(courseId)}/${encodeURIComponent(id)}`),
};
