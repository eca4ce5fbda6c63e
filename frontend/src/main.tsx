import { render } from 'preact';
import { App } from './app';
import { syncPushSubscription } from './push';
import { registerServiceWorker } from './pwa';
import { loadSources } from './sources';
import { boot } from './store';
import './styles.css';

render(<App />, document.getElementById('app')!);
void boot().then(() => {
  void syncPushSubscription().catch(() => undefined);
  void loadSources(); // kept on the device so the Sources page works offline
});
registerServiceWorker();
