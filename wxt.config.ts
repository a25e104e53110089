import { defineConfig } from 'wxt';

// Endpoints are chosen by the user and requested at upload time, never up front.
const ENDPOINT_HOSTS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];
export const GECKO_ID = 'sounds-local@soundslocal.org';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['alarms', 'contextMenus', 'unlimitedStorage'],
    // WXT drops optional_host_permissions from MV2 manifests instead of converting it.
    ...(manifestVersion === 3
      ? { optional_host_permissions: ENDPOINT_HOSTS }
      : { optional_permissions: ENDPOINT_HOSTS }),
    action: { default_title: '__MSG_extName__' },
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
