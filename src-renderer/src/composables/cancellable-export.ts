// An export staff can stop: the station counts the rows it has made for this window, and "Avbryt" frees the screen at once, stops the station's work and never saves the file.
import { onUnmounted, ref } from 'vue';
import { useWorkJob } from './work-job';

export function useCancellableExport() {
  /** The export under way, with the number of rows when the screen knows it. */
  const exporting = ref<{ rows: number | null } | null>(null);
  const cancelled = ref(false);
  const job = useWorkJob();
  let current: AbortController | null = null;
  onUnmounted(() => cancel());

  /** Makes the file as a job of this window and saves it, unless cancelled meanwhile; a failure of a cancelled export is nobody's concern. */
  async function run<F>(rows: number | null, make: (jobId: string) => Promise<F>, save: (file: F) => void): Promise<void> {
    const controller = (current = new AbortController());
    exporting.value = { rows };
    cancelled.value = false;
    try {
      const file = await job.run(make);
      if (!controller.signal.aborted) save(file);
    } catch (failure) {
      if (!controller.signal.aborted) throw failure;
    } finally {
      if (!controller.signal.aborted) exporting.value = null;
    }
  }

  function cancel(): void {
    if (!current || current.signal.aborted) return;
    current.abort();
    // the station may already be done; then only the file is dropped
    void job.cancel().catch(() => undefined);
    exporting.value = null;
    cancelled.value = true;
  }

  return { exporting, progress: job.progress, cancelled, run, cancel };
}
