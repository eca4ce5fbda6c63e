/** The clinical facts and their public sources: read from the device first, refreshed from GET /sources. */
import { signal } from '@preact/signals';
import { api } from './api';
import * as db from './lib/db';
import type { Fact, Saved } from './types';

const REFRESH_AFTER_MS = 24 * 60 * 60_000;

export const sources = signal<Saved<Fact[]> | null>(null);
export const sourcesFailed = signal(false);

let loading: Promise<void> | null = null;

async function load(force: boolean): Promise<void> {
  sources.value ??= await db.getSources();
  const saved = sources.value;
  if (!force && saved && Date.now() - saved.savedAt < REFRESH_AFTER_MS) return;
  try {
    sources.value = await db.putSources(await api.sources());
    sourcesFailed.value = false;
  } catch {
    sourcesFailed.value = !sources.value;
  }
}

/** Makes sure the facts are loaded (once at a time); `force` refetches even when the saved copy is fresh. */
export function loadSources({ force = false } = {}): Promise<void> {
  loading ??= load(force).finally(() => {
    loading = null;
  });
  return loading;
}
