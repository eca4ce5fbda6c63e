import { render } from 'preact';
import { App } from './app';
import { registerServiceWorker } from './pwa';
import { boot } from './store';
import './styles.css';

render(<App />, document.getElementById('app')!);
void boot();
registerServiceWorker();
