import type { JobName, LockingJobStore } from '../ports/store/jobs.js';
import type { Session } from './session.js';

/** Advisory-lock keys of the scheduled jobs: arbitrary constants, one per job. */
const JOB_LOCKS: Readonly<Record<JobName, number>> = {
  expiry: 7_240_002,
  recovery: 7_240_004,
  'refund-recovery': 7_240_005,
  'monthly-statements': 7_240_006,
  notifications: 7_240_007,
};

export class JobsTable implements LockingJobStore {
  constructor(private readonly session: Session) {}

  /** Transaction-scoped, so it needs no connection of its own (the embedded database has only one). */
  async tryLock(job: JobName) {
    const { rows } = await this.session.q.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      JOB_LOCKS[job],
    ]);
    return rows[0]?.locked === true;
  }

  async claimRun(job: JobName, key: string) {
    const { rowCount } = await this.session.q.query(
      'INSERT INTO job_runs (job, run_key) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [job, key],
    );
    return rowCount === 1;
  }

  async finishRun(job: JobName, key: string, outcome: string) {
    await this.session.q.query('UPDATE job_runs SET outcome = $3 WHERE job = $1 AND run_key = $2', [job, key, outcome]);
  }

  async releaseRun(job: JobName, key: string) {
    await this.session.q.query('DELETE FROM job_runs WHERE job = $1 AND run_key = $2', [job, key]);
  }
}
