import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * `config.json` asked for by the HTML itself, in parallel with the script: otherwise its request
 * starts only once the script runs, and every GraphQL query waits for that round trip
 * (src/config/networks.ts). Not when VITE_NETWORKS builds the networks in.
 */
function preloadConfig(): Plugin {
  let href: string | null = null;
  return {
    name: 'preload-config',
    configResolved(config) {
      href = config.env.VITE_NETWORKS ? null : `${config.base}config.json`;
    },
    transformIndexHtml: () =>
      href === null
        ? []
        : [
            // `crossorigin` gives the preload fetch()'s CORS mode, so that the fetch takes its answer.
            { tag: 'link', attrs: { rel: 'preload', href, as: 'fetch', crossorigin: true }, injectTo: 'head' },
          ],
  };
}

export default defineConfig({
  plugins: [react(), preloadConfig()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022' },
});
