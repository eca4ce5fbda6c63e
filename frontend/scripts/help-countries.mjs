// A Vite plugin: `virtual:help-countries` is the listed countries' codes, English names and time zones, read
// from backend/course/helplines.json at build time. The set-up screen picks the patient's country with it
// without bringing every country's help lines along (those come with lib/help.ts and the screens that call).
import { readFileSync } from 'node:fs';

const ID = 'virtual:help-countries';
const FILE = new URL('../../backend/course/helplines.json', import.meta.url);

export function helpCountries() {
  return {
    name: 'clearcourse-help-countries',
    resolveId(source) {
      return source === ID ? `\0${ID}` : null;
    },
    load(id) {
      if (id !== `\0${ID}`) return null;
      this.addWatchFile(FILE.pathname);
      const { countries } = JSON.parse(readFileSync(FILE, 'utf8'));
      const slim = countries.map(({ code, name, zones }) => ({ code, name, zones }));
      return `export default ${JSON.stringify(slim)};`;
    },
  };
}
