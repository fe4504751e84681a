/** Refund windows a carrier may grant. `same_month`: until the end of the charge's calendar month (UTC). */
export type RefundWindow = 'same_month';

const WINDOWS: Readonly<Record<RefundWindow, (chargedAt: Date, now: Date) => boolean>> = {
  same_month: (chargedAt, now) =>
    chargedAt.getUTCFullYear() === now.getUTCFullYear() && chargedAt.getUTCMonth() === now.getUTCMonth(),
};

export function withinRefundWindow(window: RefundWindow, chargedAt: Date, now: Date): boolean {
  return WINDOWS[window](chargedAt, now);
}
