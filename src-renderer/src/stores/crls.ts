// The revocation lists the station checks cards against, and importing a new one from a file.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CrlImportResult, CrlInfo } from '@shared/contract';
import { call } from '../api';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}

export const useCrlsStore = defineStore('crls', () => {
  const lists = ref<CrlInfo[]>([]);

  async function refresh(): Promise<void> {
    lists.value = await call('crl.list', {});
  }

  async function importFile(file: File): Promise<CrlImportResult> {
    const result = await call('crl.import', { contentBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
    await refresh();
    return result;
  }

  return { lists, refresh, importFile };
});
