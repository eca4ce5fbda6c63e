import { plain } from '../i18n/catalog';
import type { FactText } from '../types';
import { Link } from './Link';

/** Where a text's facts are listed: the Sources page at the first fact (the others are marked there). */
export function sourcesHref(facts: string[]): string {
  const anchor = `#fact-${encodeURIComponent(facts[0])}`;
  if (facts.length === 1) return `/sources${anchor}`;
  return `/sources?facts=${facts.map(encodeURIComponent).join(',')}${anchor}`;
}

/** A "Source" chip beside a text; its accessible name carries the fact ids ("Source: DOSE-5"). */
export function SourceIds({ facts }: { facts: string[] }) {
  if (!facts.length) return null;
  const word = plain(facts.length === 1 ? 'facts.source' : 'facts.sources');
  return (
    <>
      {' '}
      <Link href={sourcesHref(facts)} class="source-chip" aria-label={`${word}: ${facts.join(', ')}`}>
        {word}
      </Link>
    </>
  );
}

export function FactList({ items, class: className }: { items: FactText[]; class?: string }) {
  if (!items.length) return null;
  return (
    <ul class={className ?? 'fact-list'}>
      {items.map((item, index) => (
        <li key={index}>
          {item.text}
          <SourceIds facts={item.facts} />
        </li>
      ))}
    </ul>
  );
}
