import type { ComponentChildren } from 'preact';

/** A card with a heading that names it for assistive technology. */
export function Section({ id, title, children, class: className }: { id: string; title: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={className ? `card ${className}` : 'card'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
