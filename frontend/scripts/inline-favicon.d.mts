import type { Plugin } from 'vite';

export function inlineFavicon(href?: string): Plugin;
