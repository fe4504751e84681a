import { periodStarts } from '../../domain/spending-limits.js';
import type { DailyVolume, Funnel } from '../../ports/store/reports.js';
import type { Context } from '../context.js';

export type { DailyVolume };

/** How far back the carrier health looks (this instance's calls). */
const HEALTH_WINDOW_MS = 5 * 60_000;

/** Each step's share of the step before it, and of all prepared payments. */
function conversion(f: Funnel) {
  const rate = (n: number, of: number) => (of === 0 ? null : n / of);
  return {
    ...f,
    validatedRate: rate(f.validated, f.prepared),
    confirmedRate: rate(f.confirmed, f.validated),
    succeededRate: rate(f.succeeded, f.confirmed),
    overallRate: rate(f.succeeded, f.prepared),
  };
}

/**
 * The dashboard's first page: what was charged (14 days by day; today and this month by carrier),
 * how far two-step payments get, why payments were refused, how each carrier answers, and what
 * waits for people, recovery and delivery. Days and months are UTC, as the limits.
 */
export async function overview(ctx: Context, days: number) {
  const now = ctx.clock.now();
  const { day, month } = periodStarts(now);
  const { reports } = ctx.store;
  const [daily, today, thisMonth, funnelToday, funnelMonth, declines, backlogs] = await Promise.all([
    reports.dailyVolume(new Date(now.getTime() - days * 86_400_000)),
    reports.volumeSince(day),
    reports.volumeSince(month),
    reports.funnelSince(day),
    reports.funnelSince(month),
    reports.declinesSince(month),
    ctx.store.backlogs(),
  ]);
  const carriers = ctx.carriers.all().map((c) => ({
    carrierId: c.config.id,
    name: c.config.name,
    circuit: c.breaker.state(),
    ...c.stats.summary(HEALTH_WINDOW_MS, now.getTime()),
  }));
  return {
    daily,
    volume: { today, thisMonth },
    funnel: { today: conversion(funnelToday), thisMonth: conversion(funnelMonth) },
    declines,
    carriers,
    backlogs,
  };
}

export type Overview = Awaited<ReturnType<typeof overview>>;
