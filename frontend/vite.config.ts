import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import manifestTexts from '../backend/web/manifest.json';
import { helpCountries } from './scripts/help-countries.mjs';
import { inlineFavicon } from './scripts/inline-favicon.mjs';
import { precompileMessages } from './scripts/precompile-messages.mjs';

const THEME_COLOR = '#0f5f5c';
// The English description; the server answers /manifest.webmanifest with the phone's language's
// (backend/web/manifest.py, the catalog `manifest`).
const { description } = manifestTexts;
const BACKGROUND_COLOR = '#f6f8f7';

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  resolve: {
    // Every catalog is parsed at build time (scripts/precompile-messages.mjs), so the ICU parser stays out.
    alias: { '@formatjs/icu-messageformat-parser': '@formatjs/icu-messageformat-parser/no-parser.js' },
  },
  build: {
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/healthz': 'http://127.0.0.1:8000',
    },
  },
  preview: {
    proxy: {
      '/api': 'http://127.0.0.1:8000',
    },
  },
  plugins: [
    precompileMessages(),
    helpCountries(),
    inlineFavicon(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg}'],
      },
      manifest: {
        id: '/',
        name: 'ClearCourse',
        short_name: 'ClearCourse',
        description,
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME_COLOR,
        background_color: BACKGROUND_COLOR,
        categories: ['health', 'medical'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: {
        enabled: false,
        type: 'module',
      },
    }),
  ],
});
