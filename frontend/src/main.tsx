import { render } from 'preact';
import { App } from './app';
import { loadAreas } from './i18n/catalog';
import './i18n/content';
import { language } from './i18n/locale';
import { getCaregiverToken } from './lib/db';
import { afterLoad, whenIdle } from './lib/idle';
import { syncPushSubscription } from './push';
import { listenToServiceWorker, registerServiceWorker } from './pwa';
import { boot } from './store';
import './styles.css';

const root = document.getElementById('app')!;
listenToServiceWorker();

/** A phone that joined as a caregiver (or opens /care) runs the caregiver app only: no patient session. */
async function caregiverApp(token: string | null): Promise<void> {
  const [{ CaregiverApp }] = await Promise.all([
    import('./caregiver/CaregiverApp'),
    loadAreas(language.value, ['caregiver', 'errors', 'setup']).catch(() => undefined),
  ]);
  render(<CaregiverApp initialToken={token} />, root);
}

async function start(): Promise<void> {
  if (location.pathname === '/care') {
    await caregiverApp(await getCaregiverToken().catch(() => null));
    return;
  }
  // The patient's app paints at once ("Get help" never waits for the device store).
  render(<App />, root);
  const caregiverToken = await getCaregiverToken().catch(() => null);
  if (caregiverToken) {
    await caregiverApp(caregiverToken);
    return;
  }
  void boot().then(() => whenIdle(() => void syncPushSubscription().catch(() => undefined)));
}

void start();
// The worker precaches the app and the Sources list (sw/sources.ts) once the first screen is up.
afterLoad(() => void registerServiceWorker().catch(() => undefined));
