import { render } from 'preact';
import { App } from './app';
import { afterLoad, whenIdle } from './lib/idle';
import { syncPushSubscription } from './push';
import { listenToServiceWorker, registerServiceWorker } from './pwa';
import { boot } from './store';
import './styles.css';

render(<App />, document.getElementById('app')!);
listenToServiceWorker();
void boot().then(() => whenIdle(() => void syncPushSubscription().catch(() => undefined)));
// The worker precaches the app and the Sources list (sw/sources.ts) once the first screen is up.
afterLoad(() => void registerServiceWorker().catch(() => undefined));
