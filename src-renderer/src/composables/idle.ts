// Whether nobody has touched, clicked or typed at the kiosk for a while; any of them, or wake(), starts the wait again.
import { onMounted, onUnmounted, ref, type Ref } from 'vue';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel'] as const;

export function useIdle(afterMs: number): { idle: Ref<boolean>; wake: () => void } {
  const idle = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function wake(): void {
    idle.value = false;
    clearTimeout(timer);
    timer = setTimeout(() => (idle.value = true), afterMs);
  }

  onMounted(() => {
    // capture: a control that stops the event still counts as activity
    for (const type of ACTIVITY) window.addEventListener(type, wake, { capture: true, passive: true });
    wake();
  });
  onUnmounted(() => {
    for (const type of ACTIVITY) window.removeEventListener(type, wake, { capture: true });
    clearTimeout(timer);
  });
  return { idle, wake };
}
