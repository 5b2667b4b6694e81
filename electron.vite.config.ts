import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const alias = { '@shared': resolve(__dirname, 'src-shared') };

export default defineConfig({
  main: {
    resolve: { alias },
    build: { lib: { entry: resolve(__dirname, 'src-main/index.ts'), formats: ['es'] } },
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
