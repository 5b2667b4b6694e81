// An export staff can stop waiting for: the station makes the file in one go, so "Avbryt" frees the screen and the file, when it comes, is never saved.
import { onUnmounted, ref } from 'vue';

export function useCancellableExport() {
  /** The export under way, with the number of rows when the screen knows it. */
  const exporting = ref<{ rows: number | null } | null>(null);
  const cancelled = ref(false);
  let current: AbortController | null = null;
  onUnmounted(() => current?.abort());

  /** Makes the file and saves it, unless cancelled meanwhile; a failure of a cancelled export is nobody's concern. */
  async function run<F>(rows: number | null, make: () => Promise<F>, save: (file: F) => void): Promise<void> {
    const controller = (current = new AbortController());
    exporting.value = { rows };
    cancelled.value = false;
    try {
      const file = await make();
      if (!controller.signal.aborted) save(file);
    } catch (failure) {
      if (!controller.signal.aborted) throw failure;
    } finally {
      if (!controller.signal.aborted) exporting.value = null;
    }
  }

  function cancel(): void {
    current?.abort();
    exporting.value = null;
    cancelled.value = true;
  }

  return { exporting, cancelled, run, cancel };
}
