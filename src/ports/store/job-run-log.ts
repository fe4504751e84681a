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

/** Every run of every scheduled job on every instance (issue 14): what operators read to see where and when jobs ran. */
export interface JobRunLogStore {
  /** Writes a run's start; the run's id. */
  begin(job: string, instance: string, at: Date): Promise<string | undefined>;
  end(id: string, at: Date, outcome: 'succeeded' | 'failed', detail: unknown): Promise<void>;
  /** The latest runs, newest first, of one job or all. */
  recent(limit: number, job?: string): Promise<JobRunRecord[]>;
  /** Deletes up to `limit` runs started before `before`; how many. */
  prune(before: Date, limit: number): Promise<number>;
}
