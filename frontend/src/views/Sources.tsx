import { useEffect } from 'preact/hooks';
import { Link } from '../components/Link';
import { language, t } from '../i18n';
import { DIRECTORY, HELP_COUNTRIES, type HelpLine, type HelpSource } from '../lib/help';
import { currentPath, currentSearch } from '../router';
import { loadSources, sources, sourcesFailed } from '../sources';
import type { Fact } from '../types';

/** The fact groups in reading order; each titled by `sources.group.<prefix>`. */
const GROUPS = ['PRODUCT', 'DOSE', 'MON', 'MOOD', 'PREG', 'EXP', 'RED', 'AFTER', 'HELP'];

function grouped(facts: Fact[]): { key: string; title: string; facts: Fact[] }[] {
  const known = new Set(GROUPS);
  const prefixOf = (fact: Fact) => fact.id.replace(/-\d+$/, '');
  const groups = GROUPS.map((prefix) => ({ key: prefix, title: t(`sources.group.${prefix}`), facts: facts.filter((f) => prefixOf(f) === prefix) }));
  groups.push({ key: 'OTHER', title: t('sources.group.OTHER'), facts: facts.filter((f) => !known.has(prefixOf(f))) });
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
        {cited && <span class="badge">{t('sources.cited')}</span>}
      </h3>
      <p class="fact-statement" lang="en">
        {fact.statement}
      </p>
      <p class="fact-sources-label">{t(fact.sources.length === 1 ? 'facts.source' : 'facts.sources')}</p>
      <ul class="source-links">
        {fact.sources.map((source) => (
          <li key={source.url}>
            <a href={source.url} target="_blank" rel="noopener noreferrer">
              <span lang="en">{source.title}</span>
              <span class="visually-hidden">{t('sources.new_tab')}</span>
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
      <span class="visually-hidden">{t('sources.new_tab')}</span>
    </a>
  );
}

function Verify({ what }: { what: string[] }) {
  return what.length ? <strong class="badge badge-verify">{t('sources.verify', { what: what.join(', ') })}</strong> : null;
}

function LineRow({ line, kind }: { line: HelpLine; kind: string }) {
  return (
    <li>
      {kind}: {line.name}, {line.number}
      {line.also ? t('sources.help.or', { number: line.also }) : ''} ({line.note}) <Verify what={line.verify} /> — <SourceLink source={line.source} />
    </li>
  );
}

/** Every help number the app shows, with its source and what the facts mark "verify" (HELP-1, HELP-3..6). */
function HelpNumbers() {
  return (
    <section class="fact-group" aria-labelledby="help-numbers">
      <h2 id="help-numbers">{t('sources.help.heading')}</h2>
      <p>
        {t('sources.help.intro')} <SourceLink source={{ title: DIRECTORY.name, url: DIRECTORY.url }} />{' '}
        <Verify what={DIRECTORY.verify} />
      </p>
      <ul class="facts help-numbers">
        {HELP_COUNTRIES.map((c) => (
          <li key={c.code} id={`help-${c.code}`} class="fact">
            <h3 class="fact-heading">{c.name}</h3>
            <ul class="source-links">
              <li>
                {t('sources.help.emergency', { number: c.emergency.number })}
                {c.emergency.also ? t('sources.help.emergency.also', { number: c.emergency.also }) : ''} ({c.emergency.facts.join(', ')})
              </li>
              {c.crisis.length === 0 && <li>{t('sources.help.no_crisis')}</li>}
              {c.crisis.map((line) => (
                <LineRow key={line.number} line={line} kind={t('sources.help.crisis')} />
              ))}
              {c.text_line && (
                <li>
                  {t('sources.help.text_line', { name: c.text_line.name })} {c.text_line.keyword ? `${t('sources.help.text_keyword', { keyword: c.text_line.keyword })} ` : ''}
                  {c.text_line.number} ({c.text_line.note}) <Verify what={c.text_line.verify} /> — <SourceLink source={c.text_line.source} />
                </li>
              )}
              {c.youth.map((line) => (
                <LineRow key={line.number} line={line} kind={t('sources.help.youth')} />
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
    <div class="view" lang={language.value}>
      <header class="view-header">
        <h1 tabIndex={-1}>{t('sources.title')}</h1>
        <p class="lede">
          {t('sources.lede')}
        </p>
        {language.value !== 'en' && <p class="hint">{t('sources.in_english')}</p>}
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
          <p>{t('sources.failed')}</p>
          <button type="button" class="button" onClick={() => void loadSources({ force: true })}>
            {t('sources.retry')}
          </button>
        </div>
      ) : (
        <p class="muted" role="status">
          {t('sources.loading')}
        </p>
      )}
      <HelpNumbers />
      <p class="link-line">
        <Link href="/settings">{t('sources.back')}</Link>
      </p>
    </div>
  );
}
