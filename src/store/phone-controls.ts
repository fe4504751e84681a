import type { PhoneControls } from '../domain/phone-controls.js';
import type { PhoneControlStore } from '../ports/store/phone-controls.js';
import type { Session } from './session.js';

interface Row {
  blocked_at: Date | null;
  unblock_at: Date | null;
  own_limit_minor: bigint | null;
  raised_limit_minor: bigint | null;
  raised_limit_at: Date | null;
}

export class PhoneControlsTable implements PhoneControlStore {
  constructor(private readonly session: Session) {}

  async find(phoneNumber: string): Promise<PhoneControls | undefined> {
    const { rows } = await this.session.q.query<Row>('SELECT * FROM phone_controls WHERE phone_number = $1', [
      phoneNumber,
    ]);
    const row = rows[0];
    return (
      row && {
        blockedAt: row.blocked_at,
        unblockAt: row.unblock_at,
        ownLimitMinor: row.own_limit_minor,
        raisedLimitMinor: row.raised_limit_minor,
        raisedLimitAt: row.raised_limit_at,
      }
    );
  }

  async block(phoneNumber: string, now: Date) {
    await this.session.q.query(
      `INSERT INTO phone_controls (phone_number, blocked_at, updated_at) VALUES ($1, $2, $2)
       ON CONFLICT (phone_number) DO UPDATE SET blocked_at = $2, unblock_at = NULL, updated_at = $2`,
      [phoneNumber, now],
    );
  }

  async unblockAt(phoneNumber: string, at: Date, now: Date) {
    const { rowCount } = await this.session.q.query(
      `UPDATE phone_controls SET unblock_at = $2, updated_at = $3
        WHERE phone_number = $1 AND blocked_at IS NOT NULL AND (unblock_at IS NULL OR unblock_at > $3)`,
      [phoneNumber, at, now],
    );
    return rowCount === 1;
  }

  async setLimit(phoneNumber: string, limitMinor: bigint | null, now: Date, raiseAt?: Date) {
    // Lowering replaces the own limit at once (and calls off a raise); raising waits for `raiseAt`.
    if (raiseAt) {
      await this.session.q.query(
        `INSERT INTO phone_controls (phone_number, raised_limit_minor, raised_limit_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (phone_number) DO UPDATE SET raised_limit_minor = $2, raised_limit_at = $3, updated_at = $4`,
        [phoneNumber, limitMinor, raiseAt, now],
      );
      return;
    }
    await this.session.q.query(
      `INSERT INTO phone_controls (phone_number, own_limit_minor, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (phone_number) DO UPDATE SET own_limit_minor = $2, raised_limit_minor = NULL, raised_limit_at = NULL,
                                                 updated_at = $3`,
      [phoneNumber, limitMinor, now],
    );
  }
}
