// Who is logged in on this window, as main says: polled while staff are in, refreshed on activity and card removal.
// Secrets never pass through here: the views send them straight to the api.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AuthStatus, SessionEndReason } from '@shared/contract';
import { call, onEvent, type ClientEvent } from '../api';

/** Browser tabs get no per-session event, so a session ended by idle or card removal is noticed by asking. */
const POLL_MS = 3_000;
/** Activity is reported at most this often; the idle limit is minutes, so more would only add traffic. */
const TOUCH_EVERY_MS = 20_000;

export const useAuthStore = defineStore('auth', () => {
  const status = ref<AuthStatus | null>(null);
  /** Why the last staff session ended, for the lock screen to say; cleared at the next login. */
  const endedBecause = ref<SessionEndReason | null>(null);
  const operator = computed(() => status.value?.operator ?? null);
  let lastTouch = 0;
  let cardRemovedSinceLogin = false;

  async function refresh(): Promise<AuthStatus> {
    const wasLoggedIn = operator.value !== null;
    const next = await call('auth.status', {});
    status.value = next;
    if (next.operator) endedBecause.value = null;
    else if (wasLoggedIn) endedBecause.value ??= cardRemovedSinceLogin ? 'card-removed' : 'idle';
    if (next.operator) cardRemovedSinceLogin = false;
    return next;
  }

  async function logout(): Promise<void> {
    await call('auth.logout', {});
    endedBecause.value = 'logout';
    await refresh();
  }

  function noteActivity(): void {
    if (!operator.value || Date.now() - lastTouch < TOUCH_EVERY_MS) return;
    lastTouch = Date.now();
    void call('auth.touch', {})
      .then(({ loggedIn }) => (loggedIn ? undefined : refresh()))
      .catch(() => {});
  }

  function apply(event: ClientEvent): void {
    if (event.type === 'session-ended') {
      endedBecause.value = event.reason;
      void refresh().catch(() => {});
    } else if (event.type === 'card-removed' && operator.value) {
      cardRemovedSinceLogin = true;
      void refresh().catch(() => {});
    } else if (event.type === 'host-connection' && event.up) {
      void refresh().catch(() => {});
    }
  }

  function start(): () => void {
    const stopEvents = onEvent(apply);
    const poll = setInterval(() => {
      if (operator.value) void refresh().catch(() => {});
    }, POLL_MS);
    const activity = (): void => noteActivity();
    window.addEventListener('pointerdown', activity, { passive: true });
    window.addEventListener('keydown', activity, { passive: true });
    void refresh().catch(() => {});
    return () => {
      stopEvents();
      clearInterval(poll);
      window.removeEventListener('pointerdown', activity);
      window.removeEventListener('keydown', activity);
    };
  }

  return { status, operator, endedBecause, refresh, logout, start };
});
