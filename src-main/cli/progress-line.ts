// The CLI's progress on a terminal: one line on stderr, rewritten in place; nothing with --json or when stderr is no terminal (a script, a pipe, a log).
import type { CliInvocation } from './command';
import { NO_PROGRESS, progressReporter, type WorkProgress } from '../work/jobs';

export interface ProgressLine extends WorkProgress {
  /** Clears the line, so the command's own output starts on a clean line. */
  end(): void;
}

const CLEAR_LINE = '\r\u001b[K';

/** `label` says what is counted: "Saving people" gives "Saving people: 4000 of 10000 (40 %)". */
export function progressLine(invocation: CliInvocation, label: string, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  if (invocation.json || !stream.isTTY) return { ...NO_PROGRESS, end: () => {} };
  let shown = false;
  const reporter = progressReporter((done, total) => {
    const share = total > 0 ? ` (${Math.floor((done / total) * 100)} %)` : '';
    stream.write(`${CLEAR_LINE}${label}: ${done} of ${total}${share}`);
    shown = true;
  });
  return {
    step: reporter.step,
    end() {
      if (shown) stream.write(CLEAR_LINE);
    },
  };
}

/** Runs `work` with a progress line that is cleared however the work ends. */
export async function withProgressLine<T>(invocation: CliInvocation, label: string, work: (progress: WorkProgress) => Promise<T>): Promise<T> {
  const line = progressLine(invocation, label);
  try {
    return await work(line);
  } finally {
    line.end();
  }
}
