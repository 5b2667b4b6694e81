// Which host serves this window: server mode (the unit administrators' desks over HTTPS) has no card readers and no counter.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '@shared/contract';
import { call } from '../api';

export const useHostStore = defineStore('host', () => {
  const kind = ref<AppInfo['host'] | null>(null);
  let loading: Promise<AppInfo['host']> | null = null;

  /** Asks once; a failed ask is asked again next time. */
  function load(): Promise<AppInfo['host']> {
    loading ??= call('app.info', {}).then(
      (info) => (kind.value = info.host),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  }

  return { kind, load };
});
