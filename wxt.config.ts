import { defineConfig } from 'wxt';
import { createRequire } from 'node:module';

// Endpoints are chosen by the user and requested at upload time, never up front.
const ENDPOINT_HOSTS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];
export const GECKO_ID = 'sounds-local@soundslocal.org';

/**
 * WXT's own `browser` (the native `browser` in Firefox, `chrome` in Chrome: both return
 * promises in MV3). The content script uses only runtime.sendMessage, runtime.id and
 * i18n.getMessage, so it goes without webextension-polyfill: 3 kB gzipped less to load on
 * every chatbot page (DESIGN §12). Extension pages and the background keep the polyfill.
 */
const NATIVE_BROWSER = createRequire(import.meta.url).resolve('@wxt-dev/browser');

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // `npm run zip`: the store packages, plus the sources zip AMO asks for. The sources zip holds
  // what rebuilds the extension (README's setup, then `npm run zip`), not tests, benchmarks,
  // the receiver or local scratch files.
  zip: {
    excludeSources: ['tmp/**', 'tests/**', 'bench/**', 'server/**', 'scripts/**', '.ci/**', 'schema/**', 'docs/**/*.png'],
  },
  hooks: {
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entry) => entry.type === 'content-script')) return;
      const alias = config.resolve?.alias;
      if (Array.isArray(alias)) alias.unshift({ find: /^wxt\/browser$/, replacement: NATIVE_BROWSER });
      else config.resolve = { ...config.resolve, alias: { ...alias, 'wxt/browser': NATIVE_BROWSER } };
    },
  },
  vite: () => ({
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // `storage`: the user's UI language, read by the background and the content script too.
    permissions: ['alarms', 'contextMenus', 'storage', 'unlimitedStorage'],
    // WXT drops optional_host_permissions from MV2 manifests instead of converting it.
    ...(manifestVersion === 3 ? { optional_host_permissions: ENDPOINT_HOSTS } : { optional_permissions: ENDPOINT_HOSTS }),
    // public/icon/<size>.png (drawn from assets/icon.svg by `npm run icons`) are the manifest's
    // `icons`; the toolbar button names them too. For MV2 the key is written as browser_action
    // directly: WXT's popup entry would otherwise rebuild it without the icon.
    [manifestVersion === 3 ? 'action' : 'browser_action']: {
      default_title: '__MSG_extName__',
      default_icon: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png' },
    },
    commands: {
      // The browser opens the popup itself for this command name (`_execute_browser_action` in MV2;
      // WXT renames it for Firefox's MV2 build).
      [manifestVersion === 3 ? '_execute_action' : '_execute_browser_action']: {
        suggested_key: { default: 'Alt+Shift+L' },
        description: '__MSG_commandOpenPopup__',
      },
      // Sent to the active chatbot page: the answer with focus, or under the pointer, or on screen.
      'report-answer': {
        suggested_key: { default: 'Alt+Shift+R' },
        description: '__MSG_commandReportAnswer__',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              // data_collection_permissions is understood from Firefox 140 (142 on Android).
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'], optional: ['websiteContent'] },
            },
          },
        }
      : {}),
  }),
});
