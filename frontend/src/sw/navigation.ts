/** Serves the precached app shell for every in-app navigation, so deep links work offline. */
import { createHandlerBoundToURL } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { APP_SHELL_URL, NAVIGATION_DENYLIST } from './constants';

export function registerNavigationFallback(): void {
  registerRoute(new NavigationRoute(createHandlerBoundToURL(APP_SHELL_URL), { denylist: NAVIGATION_DENYLIST }));
}
