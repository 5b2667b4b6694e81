// Each reader's card test: running, done with its report, or interrupted because the card came out mid-test.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CardTestState } from '@shared/contract';
import { call, onEvent, type ClientEvent } from '../api';
import { freshSnapshots } from './fresh-snapshot';

export const useCardTestsStore = defineStore('cardTests', () => {
  const byReader = ref<Record<string, CardTestState>>({});
  /** Readers whose card left while its test ran: no partial verdict, a clear message instead. */
  const interrupted = ref<Record<string, true>>({});

  const snapshots = freshSnapshots();

  async function refresh(): Promise<void> {
    await snapshots.load(() => call('card.results', {}), (states) => {
      byReader.value = Object.fromEntries(states.map((state) => [state.reader, state]));
    });
  }

  function forget(reader: string): void {
    const { [reader]: _gone, ...rest } = byReader.value;
    byReader.value = rest;
  }

  function apply(event: ClientEvent): void {
    if (event.type !== 'host-connection') snapshots.noteEvent();
    switch (event.type) {
      case 'host-connection':
        if (event.up) void refresh().catch(() => {});
        break;
      case 'card-test': {
        const { type: _type, ...state } = event;
        byReader.value = { ...byReader.value, [state.reader]: state };
        break;
      }
      case 'card-inserted': {
        const { [event.reader]: _was, ...rest } = interrupted.value;
        interrupted.value = rest;
        break;
      }
      case 'card-removed':
      case 'reader-removed': {
        const reader = event.type === 'card-removed' ? event.reader : event.name;
        if (byReader.value[reader]?.state === 'running') interrupted.value = { ...interrupted.value, [reader]: true };
        forget(reader);
        break;
      }
    }
  }

  async function retest(reader: string): Promise<void> {
    await call('card.test', { reader });
  }

  function start(): () => void {
    const stop = onEvent(apply);
    void refresh().catch(() => {});
    return stop;
  }

  return { byReader, interrupted, retest, start };
});
