import type { JobName, JobRunRecord, LockingJobStore } from '../ports/store/jobs.js';
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

  async beginRun(job: string, instance: string, at: Date) {
    const { rows } = await this.session.q.query<{ id: string }>(
      'INSERT INTO job_run_log (job, instance, started_at) VALUES ($1, $2, $3) RETURNING id',
      [job, instance, at],
    );
    return rows[0]?.id ?? '';
  }

  async endRun(id: string, at: Date, outcome: 'succeeded' | 'failed', detail: unknown) {
    await this.session.q.query('UPDATE job_run_log SET ended_at = $2, outcome = $3, detail = $4 WHERE id = $1', [
      id,
      at,
      outcome,
      detail === undefined ? null : JSON.stringify(detail),
    ]);
  }

  async recentRuns(limit: number, job?: string) {
    const { rows } = await this.session.q.query<JobRunRecord>(
      `SELECT id::text, job, instance, started_at, ended_at, outcome, detail FROM job_run_log
        WHERE $2::text IS NULL OR job = $2 ORDER BY started_at DESC LIMIT $1`,
      [limit, job ?? null],
    );
    return rows;
  }

  async pruneRunLog(before: Date, limit: number) {
    const { rowCount } = await this.session.q.query(
      `DELETE FROM job_run_log WHERE id IN (SELECT id FROM job_run_log WHERE started_at < $1 ORDER BY started_at LIMIT $2)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }
}
