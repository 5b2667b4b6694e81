// Long work a session started: its progress goes to that session's window only, and the session may cancel it before it commits.
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WorkProgressEvent } from '@shared/contract';
import { AppError } from '../app-error';

/** What a service doing long work is given: it reports after each chunk, and the report throws once the work is cancelled. */
export interface WorkProgress {
  /** Reports `done` of `total`, lets other calls (a cancel) in, and throws WorkCancelled when the job was cancelled. */
  step(done: number, total: number): Promise<void>;
}

export class WorkCancelled extends AppError {
  constructor() {
    super('work-cancelled', 'Cancelled: nothing was written');
    this.name = 'WorkCancelled';
  }
}

/** For callers nobody watches (tests, scripts): counts nothing, never cancelled. */
export const NO_PROGRESS: WorkProgress = { step: async () => {} };

// a window needs a few updates a second, not one per chunk of a fast import
const REPORT_EVERY_MS = 100;

/** A progress that reports through `report` at most every REPORT_EVERY_MS (and always at the end) and throws once `cancelled()` says so. */
export function progressReporter(report: (done: number, total: number) => void, cancelled: () => boolean = () => false): WorkProgress {
  let lastReport = 0;
  let countReported = false;
  return {
    async step(done, total) {
      const now = Date.now();
      // the first count goes out at once, however fast the rest: the window shows that the work has begun
      if (done >= total || now - lastReport >= REPORT_EVERY_MS || (done > 0 && !countReported)) {
        lastReport = now;
        countReported ||= done > 0;
        report(done, total);
      }
      // a turn of the event loop lets a cancel call and the progress events through while the transaction waits
      await nextTurn();
      if (cancelled()) throw new WorkCancelled();
    },
  };
}

interface RunningJob {
  sessionId: string;
  cancelled: boolean;
}

/** The jobs under way, by session and job id; emits each job's progress with the session it belongs to. */
export class WorkJobs extends EventEmitter<{ progress: [sessionId: string, event: WorkProgressEvent] }> {
  private readonly running = new Map<string, RunningJob>();

  /** Listens to every job's progress until the returned function is called: how a host streams it to its sessions. */
  subscribe(listener: (sessionId: string, event: WorkProgressEvent) => void): () => void {
    this.on('progress', listener);
    return () => this.off('progress', listener);
  }

  /** Runs `work` as job `jobId` of the session; without a job id it runs unwatched. */
  async run<T>(sessionId: string, jobId: string | undefined, work: (progress: WorkProgress) => Promise<T>): Promise<T> {
    if (jobId === undefined) return work(NO_PROGRESS);
    const key = keyOf(sessionId, jobId);
    if (this.running.has(key)) throw new AppError('invalid-input', 'That job id is already running');
    const job: RunningJob = { sessionId, cancelled: false };
    this.running.set(key, job);
    try {
      return await work(progressReporter((done, total) => this.emit('progress', sessionId, { type: 'work-progress', jobId, done, total }), () => job.cancelled));
    } finally {
      this.running.delete(key);
    }
  }

  /** Cancels the session's job; false when it has none by that id (never started, or already done). */
  cancel(sessionId: string, jobId: string): boolean {
    const job = this.running.get(keyOf(sessionId, jobId));
    if (!job) return false;
    job.cancelled = true;
    return true;
  }
}

const keyOf = (sessionId: string, jobId: string): string => `${sessionId}\u0000${jobId}`;
