/**
 * When a subscription charges (CONTRACTS §6): period `n` (0 is the first charge, at confirmation)
 * starts on the anchor's day and time of day in the carrier's time zone, `n` months or weeks
 * later. A monthly subscription anchored on the 29th–31st charges on the last day of shorter
 * months and comes back to its own day after them (31 Jan → 28 Feb → 31 Mar).
 */
export type SubscriptionPeriod = 'P1M' | 'P1W';

interface LocalTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time of an instant in a time zone (an IANA name such as Asia/Seoul). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** The instant a wall-clock time in a time zone names (the first one, where a clock goes back). */
export function instantOf(t: LocalTime, timeZone: string): Date {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // The zone's offset at (about) that time, applied twice to settle across an offset change.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = localTime(new Date(guess), timeZone);
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second);
    guess = asUtc - (shownAsUtc - guess);
  }
  return new Date(guess);
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** When period `n` of a subscription anchored at `anchor` starts (and is charged). */
export function periodStart(anchor: Date, period: SubscriptionPeriod, n: number, timeZone: string): Date {
  if (period === 'P1W') return new Date(anchor.getTime() + n * 7 * 86_400_000);
  const a = localTime(anchor, timeZone);
  const months = a.month - 1 + n;
  const year = a.year + Math.floor(months / 12);
  const month = (months % 12) + 1;
  return instantOf({ ...a, year, month, day: Math.min(a.day, daysInMonth(year, month)) }, timeZone);
}
