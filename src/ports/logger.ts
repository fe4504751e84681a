/** Structured logging (pino's interface; secrets and full phone numbers never go in). */
export type { Logger } from 'pino';
