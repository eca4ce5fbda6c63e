import type { Plugin } from 'vite';

export function precompileMessages(): Plugin;
