/**
 * The patient's own record on the device: check-ins (kept in IndexedDB, written through the outbox so
 * they work offline), weekly mood answers, and the calls for supply, the report and calendar feeds.
 */
import { deviceEpoch, getDb, getSession } from './db';
import { API_BASE, allPages, request } from './http';
import { madeFile, type MadeFile } from './files';
import { enqueue } from './outbox';
import { triage, type Triage } from './triage';

/** Skin and each effect are null (or absent) when the patient left the question unanswered. */
export interface CheckInInput {
  skin: number | null;
  effects: Record<string, number | null>;
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
  may_be_last_supply?: boolean;
}

export interface Feed {
  id: string;
  course_id: string;
  include_doses: boolean;
  created_at?: string;
  last_fetched_at?: string | null;
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

/** Every item of a paged list, following the server's `next` links page by page. */
async function allPagesOf<T>(path: string, query: Record<string, string>): Promise<T[]> {
  return allPages<T>(path, { token: (await getSession())?.token, query });
}

/**
 * Reads, changes and writes back one saved map (check-ins or mood answers) in a single IndexedDB
 * transaction, so no other save or refresh can come in between and drop an entry. `change` returns the
 * new map, or null to leave it as it is; the map saved in the end is returned.
 */
async function updateSaved<T>(key: string, change: (saved: Record<string, T>) => Record<string, T> | null): Promise<Record<string, T>> {
  const tx = (await getDb()).transaction('kv', 'readwrite');
  const saved = ((await tx.store.get(key)) as Record<string, T> | undefined) ?? {};
  const next = change(saved);
  if (next) await tx.store.put(next, key);
  await tx.done;
  return next ?? saved;
}

/**
 * Bumped when a save or a refresh of the check-ins (or the mood answers) begins: a refresh saves the
 * server's answer only if nothing began after it, since that answer is older than what was saved then.
 */
const begun = { checkins: 0, mood: 0 };

/** For a refresh starting now: whether its answer may still be saved (no later save or refresh, no wipe). */
function refreshTicket(kind: keyof typeof begun): () => boolean {
  const ticket = ++begun[kind];
  const epoch = deviceEpoch();
  return () => ticket === begun[kind] && epoch === deviceEpoch();
}

// ---------------------------------------------------------------- check-ins

export async function savedCheckIns(courseId: string): Promise<Record<string, CheckIn>> {
  return ((await (await getDb()).get('kv', checkinsKey(courseId))) as Record<string, CheckIn> | undefined) ?? {};
}

export function effectHistory(all: Record<string, CheckIn>): Record<string, Record<string, number | null>> {
  return Object.fromEntries(Object.entries(all).map(([date, c]) => [date, c.effects]));
}

/** Stores the check-in on the device with the device's triage at once, and queues it for the server. */
export async function saveCheckIn(courseId: string, date: string, input: CheckInInput): Promise<CheckIn> {
  begun.checkins += 1;
  let checkIn: CheckIn | undefined;
  await updateSaved<CheckIn>(checkinsKey(courseId), (all) => {
    checkIn = { ...input, date, triage: triage(date, input.effects, input.red_flags, effectHistory(all)), pending: true };
    return { ...all, [date]: checkIn };
  });
  await enqueue({
    id: crypto.randomUUID(),
    method: 'PUT',
    path: `${API_BASE}${coursePath(courseId)}/checkins/${date}`,
    body: { ...input },
    meta: null,
  });
  return checkIn!;
}

/**
 * Replaces the saved check-ins with the server's (its triage is the authoritative one), keeping pending
 * ones; returns the saved ones unchanged when the answer is stale (see `refreshTicket`).
 */
export async function refreshCheckIns(courseId: string, from: string): Promise<Record<string, CheckIn>> {
  const current = refreshTicket('checkins');
  const fresh = await allPagesOf<CheckIn>(`${coursePath(courseId)}/checkins`, { from });
  return updateSaved<CheckIn>(checkinsKey(courseId), (saved) => {
    if (!current()) return null;
    const next: Record<string, CheckIn> = {};
    for (const [date, c] of Object.entries(saved)) if (date < from) next[date] = c;
    for (const c of fresh) next[c.date] = { date: c.date, skin: c.skin, effects: c.effects, red_flags: c.red_flags, note: c.note, triage: c.triage };
    for (const [date, c] of Object.entries(saved)) if (c.pending && !fresh.some((f) => f.date === date)) next[date] = c;
    return next;
  });
}

// ---------------------------------------------------------------- mood

export async function savedMood(courseId: string): Promise<Record<string, MoodCheck>> {
  return ((await (await getDb()).get('kv', moodKey(courseId))) as Record<string, MoodCheck> | undefined) ?? {};
}

export async function saveMood(courseId: string, week: string, input: MoodInput): Promise<MoodCheck> {
  begun.mood += 1;
  const check: MoodCheck = { ...input, week, pending: true };
  await updateSaved<MoodCheck>(moodKey(courseId), (all) => ({ ...all, [week]: check }));
  await enqueue({
    id: crypto.randomUUID(),
    method: 'PUT',
    path: `${API_BASE}${coursePath(courseId)}/mood/${week}`,
    body: { ...input },
    meta: null,
  });
  return check;
}

/** Replaces the saved mood answers with the server's, keeping pending ones (unless stale, as above). */
export async function refreshMood(courseId: string): Promise<Record<string, MoodCheck>> {
  const current = refreshTicket('mood');
  const fresh = await authed<MoodCheck[]>('GET', `${coursePath(courseId)}/mood`);
  return updateSaved<MoodCheck>(moodKey(courseId), (saved) => {
    if (!current()) return null;
    const next: Record<string, MoodCheck> = Object.fromEntries(fresh.map((m) => [m.week, m]));
    for (const [week, m] of Object.entries(saved)) if (m.pending && !next[week]) next[week] = m;
    return next;
  });
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

/** The report as a PDF file (for sharing or saving) in `lang` (a clinic may read another language than
 * the patient), drawn by the server's background worker. */
export function reportPdf(courseId: string, paper: 'a4' | 'letter', lang: string): Promise<MadeFile> {
  return madeFile(`${coursePath(courseId)}/report.pdf`, { paper, lang });
}
