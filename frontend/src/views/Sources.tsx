import { useEffect } from 'preact/hooks';
import { Link } from '../components/Link';
import { DIRECTORY, HELP_COUNTRIES, type HelpLine, type HelpSource } from '../lib/help';
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

function SourceLink({ source }: { source: HelpSource }) {
  return (
    <a href={source.url} target="_blank" rel="noopener noreferrer">
      {source.title}
      <span class="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

function Verify({ what }: { what: string[] }) {
  return what.length ? <strong class="badge badge-verify">verify: {what.join(', ')}</strong> : null;
}

function LineRow({ line, kind }: { line: HelpLine; kind: string }) {
  return (
    <li>
      {kind}: {line.name}, {line.number}
      {line.also ? ` or ${line.also}` : ''} ({line.note}) <Verify what={line.verify} /> — <SourceLink source={line.source} />
    </li>
  );
}

/** Every help number the app shows, with its source and what the facts mark "verify" (HELP-1, HELP-3..6). */
function HelpNumbers() {
  return (
    <section class="fact-group" aria-labelledby="help-numbers">
      <h2 id="help-numbers">Help numbers and their sources</h2>
      <p>
        The numbers on “Get help”, country by country. Where the facts say a detail still needs checking, it is marked “verify”. Where we can name no
        crisis line, the app says so and points to an international directory: <SourceLink source={{ title: DIRECTORY.name, url: DIRECTORY.url }} />{' '}
        <Verify what={DIRECTORY.verify} />
      </p>
      <ul class="facts help-numbers">
        {HELP_COUNTRIES.map((c) => (
          <li key={c.code} id={`help-${c.code}`} class="fact">
            <h3 class="fact-heading">{c.name}</h3>
            <ul class="source-links">
              <li>
                Emergency: {c.emergency.number}
                {c.emergency.also ? ` (also ${c.emergency.also})` : ''} ({c.emergency.facts.join(', ')})
              </li>
              {c.crisis.length === 0 && <li>Crisis line: none we can name; the emergency number and the directory instead (HELP-6)</li>}
              {c.crisis.map((line) => (
                <LineRow key={line.number} line={line} kind="Crisis line" />
              ))}
              {c.text_line && (
                <li>
                  Text line: {c.text_line.name}, {c.text_line.keyword ? `text ${c.text_line.keyword} to ` : ''}
                  {c.text_line.number} ({c.text_line.note}) <Verify what={c.text_line.verify} /> — <SourceLink source={c.text_line.source} />
                </li>
              )}
              {c.youth.map((line) => (
                <LineRow key={line.number} line={line} kind="For young people" />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
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
      <HelpNumbers />
      <p class="link-line">
        <Link href="/settings">Back to Settings</Link>
      </p>
    </div>
  );
}
