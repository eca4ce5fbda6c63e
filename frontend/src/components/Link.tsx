import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../router';

interface Props {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page' | 'step';
  'aria-label'?: string;
}

/** An ordinary link that changes view without a page load. */
export function Link({ href, children, ...rest }: Props) {
  return (
    <a href={href} onClick={onLinkClick} {...rest}>
      {children}
    </a>
  );
}
