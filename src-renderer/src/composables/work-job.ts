// Long work the station does for this window: a job id of the window's own, the counts the station reports for it, and a cancel that stops it before anything is written.
import { onUnmounted, ref } from 'vue';
import { call, onEvent } from '../api';

export function useWorkJob() {
  /** How far the running job has come, once the station has said. */
  const progress = ref<{ done: number; total: number } | null>(null);
  const running = ref(false);
  let jobId: string | null = null;
  const stopListening = onEvent((event) => {
    if (event.type === 'work-progress' && event.jobId === jobId) progress.value = { done: event.done, total: event.total };
  });

  /** Runs `work` as a new job: it passes the job id to the station's call. */
  async function run<T>(work: (jobId: string) => Promise<T>): Promise<T> {
    const id = (jobId = crypto.randomUUID());
    progress.value = null;
    running.value = true;
    try {
      return await work(id);
    } finally {
      if (jobId === id) {
        jobId = null;
        running.value = false;
        progress.value = null;
      }
    }
  }

  /** Asks the station to stop the job; the job's own call then fails with 'work-cancelled'. */
  async function cancel(): Promise<void> {
    if (jobId) await call('work.cancel', { jobId });
  }

  // work already started goes on when the screen is left: only an explicit cancel throws it away
  onUnmounted(stopListening);

  return { progress, running, run, cancel };
}
