/// <reference lib="webworker" />
/** The ClearCourse service worker: app-shell precache, offline navigation, outbox sync, reminders (Web Push). */
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerLifecycle } from './sw/lifecycle';
import { registerNavigationFallback } from './sw/navigation';
import { registerPush } from './sw/push';
import { registerSourcesCache } from './sw/sources';
import { registerOutboxSync } from './sw/sync';
import { registerTestHooks } from './sw/test-hooks';

declare let self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerNavigationFallback();
registerSourcesCache();
registerLifecycle();
registerOutboxSync();
registerPush();
registerTestHooks();
