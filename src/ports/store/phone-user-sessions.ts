/** The self-service page's sign-ins (number, then SMS code) and sessions, by keyed digest. */
export interface PhoneUserSessionStore {
  openSignIn(digest: Buffer, phoneNumber: string, otpDigest: Buffer, expiresAt: Date): Promise<void>;
  /** A sign-in still in time: its number and code digest. */
  findSignIn(digest: Buffer, now: Date): Promise<{ phoneNumber: string; otpDigest: Buffer } | undefined>;
  /** Counts a wrong code; at `maxAttempts` failures the sign-in is gone. Whether it is still open. */
  recordWrongCode(digest: Buffer, maxAttempts: number): Promise<boolean>;
  /** The sign-in, used: gone, and a session opened for its number, in one statement; false when it was gone already. */
  completeSignIn(signInDigest: Buffer, sessionDigest: Buffer, now: Date, expiresAt: Date): Promise<boolean>;
  /** The number of a live session (ends past `expires_at` or unused since `idleSince`), which counts as used now. */
  useSession(digest: Buffer, now: Date, idleSince: Date): Promise<string | undefined>;
  closeSession(digest: Buffer): Promise<void>;
  /** Deletes ended sign-ins and sessions. */
  deleteEnded(now: Date, idleSince: Date): Promise<void>;
}
