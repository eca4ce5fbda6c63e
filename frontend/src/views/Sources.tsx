import { useEffect } from 'preact/hooks';
import { Link } from '../components/Link';
import { currentPath, currentSearch } from '../router';
import { loadSources, sources, sourcesFailed } from '../sources';
import type { Fact } from '../types';

const GROUPS: [prefix: string, title: string][] = [
  ['PRODUCT', 'How ClearCourse works'],
  ['DOSE', 'Dose and course length'],
  ['MON', 'Blood tests and visits'],
  ['MOOD', 'Mood'],
  ['PREG', 'Pregnancy prevention'],
  ['EXP', 'What to expect'],
  ['RED', 'Report at once'],
  ['AFTER', 'During and after the course'],
  ['HELP', 'Getting help'],
];

function grouped(facts: Fact[]): { key: string; title: string; facts: Fact[] }[] {
  const known = new Set(GROUPS.map(([prefix]) => prefix));
  const prefixOf = (fact: Fact) => fact.id.replace(/-\d+$/, '');
  const groups = GROUPS.map(([prefix, title]) => ({ key: prefix, title, facts: facts.filter((f) => prefixOf(f) === prefix) }));
  groups.push({ key: 'OTHER', title: 'Other facts', facts: facts.filter((f) => !known.has(prefixOf(f))) });
  return groups.filter((group) => group.facts.length);
}

/** The fact ids the linking text rests on: `?facts=A,B` and the `#fact-A` anchor. */
function citedIds(search: string, hash: string): Set<string> {
  const ids = new Set((new URLSearchParams(search).get('facts') ?? '').split(',').filter(Boolean));
  if (hash.startsWith('#fact-')) ids.add(decodeURIComponent(hash.slice('#fact-'.length)));
  return ids;
}

function FactItem({ fact, cited }: { fact: Fact; cited: boolean }) {
  return (
    <li id={`fact-${fact.id}`} tabIndex={-1} class={cited ? 'fact fact-cited' : 'fact'}>
      <h3 class="fact-heading">
        {fact.id}
        {cited && <span class="badge">from the text you opened</span>}
      </h3>
      <p class="fact-statement">{fact.statement}</p>
      <p class="fact-sources-label">{fact.sources.length === 1 ? 'Source' : 'Sources'}</p>
      <ul class="source-links">
        {fact.sources.map((source) => (
          <li key={source.url}>
            <a href={source.url} target="_blank" rel="noopener noreferrer">
              {source.title}
              <span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          </li>
        ))}
      </ul>
    </li>
  );
}

export function Sources() {
  const facts = sources.value?.data ?? [];
  const loaded = facts.length > 0;
  const cited = citedIds(currentSearch.value, location.hash);

  useEffect(() => {
    void loadSources();
  }, []);

  useEffect(() => {
    if (!loaded || !location.hash.startsWith('#fact-')) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    target.scrollIntoView({ block: 'start', behavior: 'instant' });
    target.focus({ preventScroll: true });
  }, [loaded, currentPath.value, currentSearch.value]);

  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>Sources</h1>
        <p class="lede">
          Every medical statement in ClearCourse rests on a fact from a reviewed list. Each fact below names the public pages it comes from: drug
          labels, regulators, guidelines and patient leaflets. The links open in a new tab.
        </p>
      </header>
      {loaded ? (
        grouped(facts).map((group) => (
          <section key={group.key} class="fact-group" aria-labelledby={`facts-${group.key}`}>
            <h2 id={`facts-${group.key}`}>{group.title}</h2>
            <ul class="facts">
              {group.facts.map((fact) => (
                <FactItem key={fact.id} fact={fact} cited={cited.has(fact.id)} />
              ))}
            </ul>
          </section>
        ))
      ) : sourcesFailed.value ? (
        <div role="alert" class="notice">
          <p>The sources could not be loaded. Connect to the internet and try again.</p>
          <button type="button" class="button" onClick={() => void loadSources({ force: true })}>
            Try again
          </button>
        </div>
      ) : (
        <p class="muted" role="status">
          Loading the sources…
        </p>
      )}
      <p>
        <Link href="/settings">Back to Settings</Link>
      </p>
    </div>
  );
}
