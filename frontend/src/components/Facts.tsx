import type { FactText } from '../types';
import { Link } from './Link';

/** "Sources: DOSE-5, EXP-2" linking to the sources view. */
export function SourceIds({ facts }: { facts: string[] }) {
  if (!facts.length) return null;
  return (
    <span class="sources">
      {' '}
      <span class="visually-hidden">Sources:</span>
      {facts.map((id) => (
        <Link key={id} href={`/sources#fact-${id}`} class="fact-id">
          {id}
        </Link>
      ))}
    </span>
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
