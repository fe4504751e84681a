/** Refund windows a carrier may grant. `same_month`: until the end of the charge's calendar month (UTC). */
export type RefundWindow = 'same_month';

export function withinRefundWindow(window: RefundWindow, chargedAt: Date, now: Date): boolean {
  switch (window) {
    case 'same_month':
      return chargedAt.getUTCFullYear() === now.getUTCFullYear() && chargedAt.getUTCMonth() === now.getUTCMonth();
  }
}
