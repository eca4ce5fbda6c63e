import type { Plugin } from 'vite';

export function helpCountries(): Plugin;
