/** The scheduled jobs that must not run on two instances at once. */
export type JobName = 'expiry' | 'recovery' | 'refund-recovery' | 'monthly-statements' | 'notifications';

/** One run of a scheduled job, as the run log has it. */
export interface JobRunRecord {
  id: string;
  job: string;
  instance: string;
  started_at: Date;
  /** Null while it runs, or for good when its instance died during it. */
  ended_at: Date | null;
  outcome: 'succeeded' | 'failed' | null;
  detail: unknown;
}

export interface JobStore {
  /** Writes a run's start in the run log; the run's id. */
  beginRun(job: string, instance: string, at: Date): Promise<string>;
  endRun(id: string, at: Date, outcome: 'succeeded' | 'failed', detail: unknown): Promise<void>;
  /** The latest runs, newest first, of one job or all. */
  recentRuns(limit: number, job?: string): Promise<JobRunRecord[]>;
  /** Deletes up to `limit` runs started before `before`; how many. */
  pruneRunLog(before: Date, limit: number): Promise<number>;
  /** Gives up a run's claim after a failure, so that a later tick retries it. */
  releaseRun(job: JobName, key: string): Promise<void>;
  finishRun(job: JobName, key: string, outcome: string): Promise<void>;
}

export interface LockingJobStore extends JobStore {
  /** Takes the job's lock until commit if no other instance holds it. */
  tryLock(job: JobName): Promise<boolean>;
  /** Claims a run of a job for one key (a carrier and a month) across all instances, once ever. */
  claimRun(job: JobName, key: string): Promise<boolean>;
}
