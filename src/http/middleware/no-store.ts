import type { RequestHandler } from 'express';

/**
 * The APIs answer with phone numbers, gift-certificate codes and operators' views: no cache on the
 * way (a browser's, a proxy's) may keep any of it.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
