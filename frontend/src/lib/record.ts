/**
 * The patient's own record on the device: check-ins (kept in IndexedDB, written through the outbox so
 * they work offline), weekly mood answers, and the calls for supply, the report and calendar feeds.
 */
import { getDb, getSession } from './db';
import { API_BASE, request } from './http';
import { enqueue } from './outbox';
import { triage, type Triage } from './triage';

export interface CheckInInput {
  skin: number;
  effects: Record<string, number>;
  red_flags: string[];
  note: string | null;
}

export interface CheckIn extends CheckInInput {
  date: string;
  triage: Triage;
  /** True until the server confirmed it (the triage shown is then the device's own). */
  pending?: boolean;
}

export type MoodAnswer = 'not_at_all' | 'several_days' | 'more_than_half_the_days' | 'nearly_every_day';

export interface MoodInput {
  interest: MoodAnswer;
  low_mood: MoodAnswer;
  self_harm_thoughts: boolean;
  sexual_function: string | null;
}

export interface MoodCheck extends MoodInput {
  week: string;
  answered_on?: string;
  follow_up?: { crisis: boolean; actions: { key: string; text: string; facts: string[] }[] };
  pending?: boolean;
}

export interface Pickup {
  id: string;
  picked_up_on: string;
  capsules: number;
  strength_mg: number;
}

export interface Supply {
  pickups: Pickup[];
  capsules_left: number | null;
  mg_left: number | null;
  strength_mg: number | null;
  mixed_strengths: boolean;
  runs_out_on: string | null;
  covers_to_last_capsule: boolean;
  next_supply_needed_on: string | null;
}

export interface Feed {
  id: string;
  course_id: string;
  include_doses: boolean;
  url?: string;
  webcal_url?: string;
}

const coursePath = (courseId: string) => `/courses/${encodeURIComponent(courseId)}`;
const checkinsKey = (courseId: string) => `checkins:${courseId}`;
const moodKey = (courseId: string) => `mood:${courseId}`;

async function authed<T>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
  const session = await getSession();
  return (await request<T>(method, path, { token: session?.token, body, query })).data;
}

// ---------------------------------------------------------------- check-ins

export async function savedCheckIns(courseId: string): Promise<Record<string, CheckIn>> {
  return ((await (await getDb()).get('kv', checkinsKey(courseId))) as Record<string, CheckIn> | undefined) ?? {};
}

async function putSavedCheckIns(courseId: string, all: Record<string, CheckIn>): Promise<void> {
  await (await getDb()).put('kv', all, checkinsKey(courseId));
}

export function effectHistory(all: Record<string, CheckIn>): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(all).map(([date, c]) => [date, c.effects]));
}

/** Stores the check-in on the device with the device's triage at once, and queues it for the server. */
export async function saveCheckIn(courseId: string, date: string, input: CheckInInput): Promise<CheckIn> {
  const all = await savedCheckIns(courseId);
  const checkIn: CheckIn = { ...input, date, triage: triage(date, input.effects, input.red_flags, effectHistory(all)), pending: true };
  await putSavedCheckIns(courseId, { ...all, [date]: checkIn });
  await enqueue({
    id: crypto.randomUUID(),
    method: 'PUT',
    path: `${API_BASE}${coursePath(courseId)}/checkins/${date}`,
    body: { ...input },
    meta: null,
  });
  return checkIn;
}

/** Replaces the saved check-ins with the server's (its triage is the authoritative one), keeping pending ones. */
export async function refreshCheckIns(courseId: string, from: string): Promise<Record<string, CheckIn>> {
  const fresh = await authed<CheckIn[]>('GET', `${coursePath(courseId)}/checkins`, undefined, { from });
  const saved = await savedCheckIns(courseId);
  const next: Record<string, CheckIn> = {};
  for (const [date, c] of Object.entries(saved)) if (date < from) next[date] = c;
  for (const c of fresh) next[c.date] = { date: c.date, skin: c.skin, effects: c.effects, red_flags: c.red_flags, note: c.note, triage: c.triage };
  for (const [date, c] of Object.entries(saved)) if (c.pending && !fresh.some((f) => f.date === date)) next[date] = c;
  await putSavedCheckIns(courseId, next);
  return next;
}

// ---------------------------------------------------------------- mood

export async function savedMood(courseId: string): Promise<Record<string, MoodCheck>> {
  return ((await (await getDb()).get('kv', moodKey(courseId))) as Record<string, MoodCheck> | undefined) ?? {};
}

export async function saveMood(courseId: string, week: string, input: MoodInput): Promise<MoodCheck> {
  const all = await savedMood(courseId);
  const check: MoodCheck = { ...input, week, pending: true };
  await (await getDb()).put('kv', { ...all, [week]: check }, moodKey(courseId));
  await enqueue({
    id: crypto.randomUUID(),
    method: 'PUT',
    path: `${API_BASE}${coursePath(courseId)}/mood/${week}`,
    body: { ...input },
    meta: null,
  });
  return check;
}

export async function refreshMood(courseId: string): Promise<Record<string, MoodCheck>> {
  const fresh = await authed<MoodCheck[]>('GET', `${coursePath(courseId)}/mood`);
  const saved = await savedMood(courseId);
  const next: Record<string, MoodCheck> = Object.fromEntries(fresh.map((m) => [m.week, m]));
  for (const [week, m] of Object.entries(saved)) if (m.pending && !next[week]) next[week] = m;
  await (await getDb()).put('kv', next, moodKey(courseId));
  return next;
}

/** The ISO week of a local date, e.g. 2026-W13. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- supply, report, calendar

export const recordApi = {
  supply: (courseId: string) => authed<Supply>('GET', `${coursePath(courseId)}/supply`),
  addPickup: (courseId: string, pickup: Omit<Pickup, 'id'>) => authed<Pickup>('POST', `${coursePath(courseId)}/supply/pickups`, pickup),
  deletePickup: (courseId: string, id: string) =>
    authed<null>('DELETE', `${coursePath(courseId)}/supply/pickups/${encodeURIComponent(id)}`),
  report: (courseId: string, query: Record<string, string> = {}) =>
    authed<Record<string, unknown>>('GET', `${coursePath(courseId)}/report`, undefined, query),
  feeds: () => authed<Feed[]>('GET', '/calendar-feeds'),
  createFeed: (courseId: string, includeDoses: boolean) =>
    authed<Feed>('POST', '/calendar-feeds', { course_id: courseId, include_doses: includeDoses }),
  deleteFeed: (id: string) => authed<null>('DELETE', `/calendar-feeds/${encodeURIComponent(id)}`),
};

/** The report as a PDF file (for sharing or saving). */
export async function reportPdf(courseId: string): Promise<Blob> {
  const session = await getSession();
  const response = await fetch(`${API_BASE}${coursePath(courseId)}/report.pdf`, {
    headers: session ? { Authorization: `Bearer ${session.token}` } : {},
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`The report could not be made (${response.status}).`);
  return response.blob();
}
