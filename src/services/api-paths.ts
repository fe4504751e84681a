/**
 * Where each API is served. The CAMARA representations name their own resources (`resourceURL`,
 * `Location`), so the use cases that build them and the HTTP app that mounts them share these.
 */
export const API_PATHS = {
  carrierBilling: '/carrier-billing/v0.5',
  refunds: '/carrier-billing-refund/v0.3',
  giftCertificates: '/gift-certificates/v1',
  consents: '/consents/v1',
  subscriptions: '/subscriptions/v1',
  admin: '/admin/v1',
} as const;
