/** The scheduled jobs that must not run on two instances at once. */
export type JobName = 'expiry' | 'recovery' | 'refund-recovery' | 'monthly-statements' | 'notifications';

export interface JobStore {
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
