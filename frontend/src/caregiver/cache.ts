/** The caregiver view as this phone last saw it (IndexedDB), so it opens offline with its time. */
import { getDb } from '../lib/db';
import type { Caregiving } from '../types';

const KEY = 'caregiving';

export interface SavedCaregiving {
  data: Caregiving;
  /** When the server sent it (ms since the epoch). */
  savedAt: number;
}

export async function cachedView(): Promise<SavedCaregiving | null> {
  return ((await (await getDb()).get('kv', KEY)) as SavedCaregiving | undefined) ?? null;
}

export async function saveView(data: Caregiving): Promise<SavedCaregiving> {
  const saved = { data, savedAt: Date.now() };
  await (await getDb()).put('kv', saved, KEY);
  return saved;
}

/** Leaving or being removed: nothing of the patient's stays on this phone. */
export async function forgetView(): Promise<void> {
  await (await getDb()).delete('kv', KEY);
}
