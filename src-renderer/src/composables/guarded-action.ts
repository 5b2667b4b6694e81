// One action at a time on a screen: its button is busy meanwhile, and a failure becomes the screen's error text.
import { ref } from 'vue';

export function useGuardedAction(errorText: (failure: unknown) => string) {
  const busy = ref(false);
  const error = ref('');
  async function guarded(work: () => Promise<void>): Promise<void> {
    error.value = '';
    busy.value = true;
    try {
      await work();
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, guarded };
}
