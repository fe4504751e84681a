import type { PhoneUserSessionStore } from '../ports/store/phone-user-sessions.js';
import type { Session } from './session.js';

export class PhoneUserSessionsTable implements PhoneUserSessionStore {
  constructor(private readonly session: Session) {}

  async openSignIn(digest: Buffer, phoneNumber: string, otpDigest: Buffer, expiresAt: Date) {
    await this.session.q.query(
      'INSERT INTO phone_user_sign_ins (digest, phone_number, otp_digest, expires_at) VALUES ($1, $2, $3, $4)',
      [digest, phoneNumber, otpDigest, expiresAt],
    );
  }

  async findSignIn(digest: Buffer, now: Date) {
    const { rows } = await this.session.q.query<{ phone_number: string; otp_digest: Buffer }>(
      'SELECT phone_number, otp_digest FROM phone_user_sign_ins WHERE digest = $1 AND expires_at > $2',
      [digest, now],
    );
    const row = rows[0];
    return row && { phoneNumber: row.phone_number, otpDigest: row.otp_digest };
  }

  async recordWrongCode(digest: Buffer, maxAttempts: number) {
    const { rows } = await this.session.q.query<{ failures: number }>(
      'UPDATE phone_user_sign_ins SET failures = failures + 1 WHERE digest = $1 RETURNING failures',
      [digest],
    );
    const failures = rows[0]?.failures;
    if (failures === undefined) return false;
    if (failures < maxAttempts) return true;
    await this.session.q.query('DELETE FROM phone_user_sign_ins WHERE digest = $1', [digest]);
    return false;
  }

  async completeSignIn(signInDigest: Buffer, sessionDigest: Buffer, now: Date, expiresAt: Date) {
    const { rowCount } = await this.session.q.query(
      `WITH used AS (DELETE FROM phone_user_sign_ins WHERE digest = $1 AND expires_at > $3 RETURNING phone_number)
       INSERT INTO phone_user_sessions (digest, phone_number, last_seen_at, expires_at)
       SELECT $2, phone_number, $3, $4 FROM used`,
      [signInDigest, sessionDigest, now, expiresAt],
    );
    return rowCount === 1;
  }

  async useSession(digest: Buffer, now: Date, idleSince: Date) {
    const { rows } = await this.session.q.query<{ phone_number: string }>(
      `UPDATE phone_user_sessions SET last_seen_at = $2
        WHERE digest = $1 AND expires_at > $2 AND last_seen_at > $3 RETURNING phone_number`,
      [digest, now, idleSince],
    );
    return rows[0]?.phone_number;
  }

  async closeSession(digest: Buffer) {
    await this.session.q.query('DELETE FROM phone_user_sessions WHERE digest = $1', [digest]);
  }

  async deleteEnded(now: Date, idleSince: Date) {
    await this.session.q.query('DELETE FROM phone_user_sign_ins WHERE expires_at <= $1', [now]);
    await this.session.q.query('DELETE FROM phone_user_sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [
      now,
      idleSince,
    ]);
  }
}
