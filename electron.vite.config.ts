import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const alias = { '@shared': resolve(__dirname, 'src-shared') };

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      // the Electron kiosk, the CLI, browser mode and server mode: one build, run from out/main by electron and node alike
      lib: {
        entry: {
          index: resolve(__dirname, 'src-main/index.ts'),
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
          web: resolve(__dirname, 'src-main/host/web-main.ts'),
          server: resolve(__dirname, 'src-main/host/server-main.ts'),
        },
        formats: ['es'],
      },
      // chunks beside the entries, so paths relative to import.meta.url (resources/, build/electron/) hold in every module
      rolldownOptions: { output: { chunkFileNames: '[name]-[hash].js' } },
      // pure-JS libraries of many small ES modules are bundled: resolving them one by one cost browser mode a second at start
      externalizeDeps: { exclude: ['kysely', '@peculiar/x509', 'otplib', 'valibot', 'personnummer', 'fast-xml-parser', 'reflect-metadata'] },
    },
  },
  preload: {
    resolve: { alias },
    // a sandboxed preload must be one CommonJS file with nothing left to require but electron
    build: {
      externalizeDeps: false,
      lib: { entry: resolve(__dirname, 'src-main/preload.ts'), formats: ['cjs'] },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias },
    plugins: [vue()],
    build: { rolldownOptions: { input: resolve(__dirname, 'src-renderer/index.html') } },
  },
});
