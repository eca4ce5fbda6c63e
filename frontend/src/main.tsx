import { render } from 'preact';
import { App } from './app';
import { syncPushSubscription } from './push';
import { registerServiceWorker } from './pwa';
import { boot } from './store';
import './styles.css';

render(<App />, document.getElementById('app')!);
void boot().then(() => syncPushSubscription().catch(() => undefined));
registerServiceWorker();
