import express, { type Router } from 'express';

/** Hours since the SIM of a `…9911` number was swapped (CONTRACTS §8). */
const SWAPPED_HOURS_AGO = 2;
/** Days since a `…9912` line was activated. */
const ACTIVATED_DAYS_AGO = 3;
/** Every other line: activated long ago, never swapped. */
const LONG_AGO_DAYS = 3650;

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * The simulated carriers' CAMARA SIM Swap and KYC Tenure endpoints, on the simulator's port: the
 * last four digits of the number say what happened to the line.
 */
export function lineSignalRoutes(now: () => Date = () => new Date()): Router {
  const router = express.Router();
  router.use(express.json({ limit: '4kb' }));
  const invalid = (res: express.Response, message: string) =>
    res.status(400).json({ status: 400, code: 'INVALID_ARGUMENT', message });

  router.post('/sim-swap/v1/check', (req, res) => {
    const { phoneNumber, maxAge = 240 } = (req.body ?? {}) as { phoneNumber?: unknown; maxAge?: unknown };
    if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) return invalid(res, 'phoneNumber');
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 1 || maxAge > 2400)
      return invalid(res, 'maxAge: hours, 1 to 2400');
    const swappedHoursAgo = phoneNumber.endsWith('9911') ? SWAPPED_HOURS_AGO : undefined;
    res.json({ swapped: swappedHoursAgo !== undefined && swappedHoursAgo <= maxAge });
  });

  router.post('/kyc-tenure/v0.1/check-tenure', (req, res) => {
    const { phoneNumber, tenureDate } = (req.body ?? {}) as { phoneNumber?: unknown; tenureDate?: unknown };
    if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) return invalid(res, 'phoneNumber');
    const since =
      typeof tenureDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(tenureDate) ? Date.parse(tenureDate) : NaN;
    if (Number.isNaN(since)) return invalid(res, 'tenureDate: YYYY-MM-DD');
    const activatedDaysAgo = phoneNumber.endsWith('9912') ? ACTIVATED_DAYS_AGO : LONG_AGO_DAYS;
    const activatedAt = now().getTime() - activatedDaysAgo * 86_400_000;
    res.json({ tenureDateCheck: activatedAt <= since });
  });
  return router;
}
