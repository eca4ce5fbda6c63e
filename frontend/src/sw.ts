/// <reference lib="webworker" />
/** The ClearCourse service worker: app-shell precache, offline navigation, outbox sync. Push handlers plug in here. */
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerLifecycle } from './sw/lifecycle';
import { registerNavigationFallback } from './sw/navigation';
import { registerOutboxSync } from './sw/sync';

declare let self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerNavigationFallback();
registerLifecycle();
registerOutboxSync();
