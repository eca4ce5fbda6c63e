export const OUTBOX_SYNC_TAG = 'clearcourse-outbox';
export const NAVIGATION_DENYLIST = [/^\/api\//, /^\/healthz/];
export const APP_SHELL_URL = 'index.html';
