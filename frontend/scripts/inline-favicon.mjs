// A Vite plugin: the 32 px favicon goes into index.html as a data: URL (about 550 bytes). The browser
// asks for the tab icon more than once per load, each time a request for a `no-cache` file; this way never.
import { readFileSync } from 'node:fs';

export function inlineFavicon(href = '/icons/favicon-32.png') {
  return {
    name: 'clearcourse-inline-favicon',
    apply: 'build',
    transformIndexHtml(html) {
      const png = readFileSync(new URL(`../public${href}`, import.meta.url)).toString('base64');
      return html.replace(`href="${href}"`, `href="data:image/png;base64,${png}"`);
    },
  };
}
