import type { NewOperator, OperatorRecord, OperatorStore } from '../ports/store/operators.js';
import { missing } from '../ports/store/missing-row.js';
import type { Session } from './session.js';

const COLUMNS = 'o.id, o.name, o.role, o.created_by, o.created_at, o.deleted_at';

export class OperatorsTable implements OperatorStore {
  constructor(private readonly session: Session) {}

  async insert(o: NewOperator) {
    const { rows } = await this.session.q.query<OperatorRecord>(
      `INSERT INTO operators AS o (id, name, role, token_digest, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [o.id, o.name, o.role, o.token_digest, o.created_by],
    );
    return rows[0] ?? missing('operators', o.id);
  }

  async find(id: string) {
    const { rows } = await this.session.q.query<OperatorRecord>(
      `SELECT ${COLUMNS} FROM operators o WHERE o.id = $1 AND o.deleted_at IS NULL`,
      [id],
    );
    return rows[0];
  }

  async findByTokenDigest(digest: Buffer) {
    const { rows } = await this.session.q.query<OperatorRecord>(
      `SELECT ${COLUMNS} FROM operators o WHERE o.token_digest = $1 AND o.deleted_at IS NULL`,
      [digest],
    );
    return rows[0];
  }

  async list() {
    const { rows } = await this.session.q.query<OperatorRecord>(
      `SELECT ${COLUMNS} FROM operators o WHERE o.deleted_at IS NULL ORDER BY o.created_at, o.id`,
    );
    return rows;
  }

  async remove(id: string, now: Date) {
    const { rows } = await this.session.q.query<{ id: string }>(
      `WITH gone AS (
         UPDATE operators SET deleted_at = $2, token_digest = NULL WHERE id = $1 AND deleted_at IS NULL RETURNING id
       ), ended AS (
         DELETE FROM operator_sessions WHERE operator_id IN (SELECT id FROM gone)
       )
       SELECT id FROM gone`,
      [id, now],
    );
    return rows.length > 0;
  }

  async adoptBootstrapToken(digest: Buffer) {
    const { rows } = await this.session.q.query<{ ended: number }>(
      `WITH changed AS (
         UPDATE operators SET token_digest = $1
          WHERE id = 'op_bootstrap' AND token_digest IS DISTINCT FROM $1 RETURNING id
       ), ended AS (
         DELETE FROM operator_sessions WHERE operator_id IN (SELECT id FROM changed) RETURNING 1
       )
       SELECT count(*)::int AS ended FROM ended`,
      [digest],
    );
    return rows[0]?.ended ?? 0;
  }

  async openSession(digest: Buffer, operatorId: string, now: Date, expiresAt: Date) {
    await this.session.q.query(
      `INSERT INTO operator_sessions (id_digest, operator_id, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $3, $4)`,
      [digest, operatorId, now, expiresAt],
    );
  }

  async useSession(digest: Buffer, now: Date, idleSince: Date) {
    const { rows } = await this.session.q.query<OperatorRecord>(
      `UPDATE operator_sessions s SET last_seen_at = $2
         FROM operators o
        WHERE s.id_digest = $1 AND o.id = s.operator_id AND o.deleted_at IS NULL
          AND s.expires_at > $2 AND s.last_seen_at > $3
       RETURNING ${COLUMNS}`,
      [digest, now, idleSince],
    );
    return rows[0];
  }

  async closeSession(digest: Buffer) {
    await this.session.q.query('DELETE FROM operator_sessions WHERE id_digest = $1', [digest]);
  }

  async deleteEndedSessions(now: Date, idleSince: Date) {
    const { rowCount } = await this.session.q.query(
      'DELETE FROM operator_sessions WHERE expires_at <= $1 OR last_seen_at <= $2',
      [now, idleSince],
    );
    return rowCount ?? 0;
  }
}
