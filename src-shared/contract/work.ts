// Long work a window started (imports, exports): the window names it with a job id of its own, hears its progress and may cancel it before anything is written.
import * as v from 'valibot';
import { procedure, ROLES } from './procedure';

export const WORK_ERROR_CODES = [
  /** The caller cancelled the job: the transaction was rolled back, nothing was written. */
  'work-cancelled',
] as const;

/** A job id the window made up (a random UUID): only that window's session hears of it or may cancel it. */
export const jobIdSchema = v.pipe(v.string('a job id must be text'), v.regex(/^[A-Za-z0-9-]{8,64}$/, 'a job id is 8 to 64 letters, digits or dashes'));

/** The optional part of a long call's input that asks for progress events and makes it cancellable. */
export const jobField = { jobId: v.optional(jobIdSchema) };

/** How far a job has come, sent only to the window whose session started it. */
export interface WorkProgressEvent {
  type: 'work-progress';
  jobId: string;
  done: number;
  total: number;
}

export const workProcedures = {
  // every logged-in role may stop its own work; the job is looked up in the caller's session only
  'work.cancel': procedure<{ cancelled: boolean }>()(v.strictObject({ jobId: jobIdSchema }), ROLES),
} as const;
