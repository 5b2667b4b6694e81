// The readers and the PC/SC service as the kiosk shows them, kept current by main's events.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReaderInfo } from '@shared/readers';
import { call, onEvent, type ClientEvent } from '../api';
import { freshSnapshots } from './fresh-snapshot';

export const useReadersStore = defineStore('readers', () => {
  const readers = ref<ReaderInfo[]>([]);
  const serviceUp = ref(true);
  const hostUp = ref(true);
  /** Whether the region database answers; always true for the station's own SQLite file. */
  const registerUp = ref(true);
  const loaded = ref(false);
  const snapshots = freshSnapshots();

  async function refreshRegister(): Promise<void> {
    registerUp.value = (await call('app.info', {})).register.reachable;
  }

  async function refresh(): Promise<void> {
    await snapshots.load(() => call('readers.list', {}), (snapshot) => {
      readers.value = snapshot.readers;
      serviceUp.value = snapshot.serviceUp;
      loaded.value = true;
    });
  }

  function apply(event: ClientEvent): void {
    if (event.type !== 'host-connection') snapshots.noteEvent();
    switch (event.type) {
      case 'host-connection':
        hostUp.value = event.up;
        // events may have been missed while the host was away
        if (event.up) void Promise.all([refresh(), refreshRegister()]).catch(() => {});
        break;
      case 'register':
        registerUp.value = event.reachable;
        break;
      case 'pcsc-service':
        serviceUp.value = event.up;
        break;
      case 'reader-added':
        readers.value = [...readers.value.filter((r) => r.name !== event.reader.name), event.reader];
        break;
      case 'reader-removed':
        readers.value = readers.value.filter((r) => r.name !== event.name);
        break;
      case 'card-inserted':
        readers.value = readers.value.map((r) => (r.name === event.reader ? { ...r, cardPresent: true, atr: event.atr } : r));
        break;
      case 'card-removed':
        readers.value = readers.value.map((r) => (r.name === event.reader ? { ...r, cardPresent: false, atr: null } : r));
        break;
    }
  }

  function start(): () => void {
    const stop = onEvent(apply);
    void refresh().catch(() => {});
    void refreshRegister().catch(() => {});
    return stop;
  }

  return { readers, serviceUp, hostUp, registerUp, loaded, refresh, start };
});
