import type { JobRunLogStore, JobRunRecord } from '../ports/store/job-run-log.js';
import type { Session } from './session.js';

const COLUMNS = 'id::text, job, instance, started_at, ended_at, outcome, detail';

export class JobRunLogTable implements JobRunLogStore {
  constructor(private readonly session: Session) {}

  async begin(job: string, instance: string, at: Date) {
    const { rows } = await this.session.q.query<{ id: string }>(
      'INSERT INTO job_run_log (job, instance, started_at) VALUES ($1, $2, $3) RETURNING id::text',
      [job, instance, at],
    );
    return rows[0]?.id;
  }

  async end(id: string, at: Date, outcome: 'succeeded' | 'failed', detail: unknown) {
    await this.session.q.query('UPDATE job_run_log SET ended_at = $2, outcome = $3, detail = $4 WHERE id = $1', [
      id,
      at,
      outcome,
      detail === undefined ? null : JSON.stringify(detail),
    ]);
  }

  async recent(limit: number, job?: string) {
    // Two statements rather than `$2 IS NULL OR job = $2`, whose generic plan would read the whole log.
    const { rows } = job
      ? await this.session.q.query<JobRunRecord>(
          `SELECT ${COLUMNS} FROM job_run_log WHERE job = $2 ORDER BY started_at DESC LIMIT $1`,
          [limit, job],
        )
      : await this.session.q.query<JobRunRecord>(
          `SELECT ${COLUMNS} FROM job_run_log ORDER BY started_at DESC LIMIT $1`,
          [limit],
        );
    return rows;
  }

  async prune(before: Date, limit: number) {
    const { rowCount } = await this.session.q.query(
      `DELETE FROM job_run_log WHERE id IN (SELECT id FROM job_run_log WHERE started_at < $1 ORDER BY started_at LIMIT $2)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }
}
