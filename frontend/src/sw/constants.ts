export const OUTBOX_SYNC_TAG = 'clearcourse-outbox';
export const NAVIGATION_DENYLIST = [/^\/api\//, /^\/healthz/];
export const APP_SHELL_URL = 'index.html';
/** The clinical facts list and the runtime cache that keeps it for offline reading (sw/sources.ts). */
export const SOURCES_URL = '/api/v1/sources';
export const SOURCES_CACHE = 'clearcourse-sources';
