import type { RiskRules } from '../../../config/schema.js';
import type { Context } from '../context.js';

const RULES_CACHE_MS = 30_000;
const CHANNEL = 'risk-rules-changed';

export interface RulesInForce {
  readonly rules: RiskRules;
  /** `config`, or the version of the operator's rule set. */
  readonly version: string;
  readonly changedBy?: string;
  readonly changedAt?: Date;
}

interface Book {
  current?: { rules: RulesInForce; until: number };
  news: number;
}
/** Only contexts that hear the news keep the rules (see watchRiskRules); others read them each time. */
const books = new WeakMap<Context, Book>();

export async function watchRiskRules(ctx: Context): Promise<void> {
  const book: Book = { news: 0 };
  await ctx.cache.subscribe(CHANNEL, () => {
    book.news += 1;
    book.current = undefined;
  });
  books.set(ctx, book);
}

/**
 * The rules in force: the operator's last rule set, else the configured one. Every payment reads
 * them, so an instance keeps them for RULES_CACHE_MS (real time); an operator's change is told to
 * every instance (the cache's publish and subscribe), which then reads them again at once.
 */
export async function rulesInForce(ctx: Context): Promise<RulesInForce> {
  const book = books.get(ctx);
  const now = Date.now();
  if (book?.current && book.current.until > now) return book.current.rules;
  const newsBefore = book?.news;
  const rules = await freshRules(ctx);
  if (book && book.news === newsBefore) book.current = { rules, until: now + RULES_CACHE_MS };
  return rules;
}

/** The rules in force as the database has them now (the operator's view, which must show what was just put). */
export async function freshRules(ctx: Context): Promise<RulesInForce> {
  const stored = await ctx.store.risk.currentRules();
  return stored
    ? { rules: stored.rules, version: stored.version, changedBy: stored.created_by, changedAt: stored.created_at }
    : { rules: ctx.config.risk.rules, version: 'config' };
}

/** Tells every instance the rules changed (already committed; should the news not go out, entries lapse within RULES_CACHE_MS). */
export async function announceNewRules(ctx: Context): Promise<void> {
  try {
    await ctx.cache.publish(CHANNEL, 'changed');
  } catch (error) {
    ctx.log.error({ err: error }, 'could not tell the other instances of new risk rules');
  }
}
