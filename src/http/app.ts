import express, { type Express, type Router } from 'express';
import { API_PATHS } from '../services/api-paths.js';
import type { Context } from '../services/context.js';
import { correlator } from './middleware/correlator.js';
import { refuseWhileDraining, type Lifecycle } from './middleware/draining.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { noStore } from './middleware/no-store.js';
import { mountedAt, requestLog } from './middleware/request-log.js';
import { adminRoutes } from './routes/admin.js';
import { confirmationPageRoutes } from './routes/confirmation-page.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { dashboardMerchantRoutes } from './routes/dashboard-merchants.js';
import { giftCertificateRoutes } from './routes/gift-certificates.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { oauthRoutes } from './routes/oauth.js';
import { selfServiceRoutes } from './routes/me.js';
import { consentRoutes } from './routes/consents.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { dashboardGrantRoutes } from './routes/dashboard-grants.js';
import { dashboardRiskRoutes } from './routes/dashboard-risk.js';
import { authorizationPageRoutes } from './routes/authorization-pages.js';
import { paymentRoutes } from './routes/payments.js';
import { refundRoutes } from './routes/refunds.js';

/**
 * The gateway's HTTP surface: every route is thin; the work is in services/. `carrierEdges` are
 * the endpoints carriers call (their subscribers' SMS replies), built by the composition root
 * from the protocol adapters.
 */
export function createApp(
  ctx: Context,
  bootstrapToken: string,
  lifecycle: Lifecycle = { draining: false },
  carrierEdges: Router[] = [],
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const { trustProxy } = ctx.config;
  if (trustProxy !== undefined) app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.use(requestLog(ctx.log, ctx.metrics));
  app.use(metricsRoutes(ctx, bootstrapToken));
  app.use(correlator);

  app.use(healthRoutes(ctx, lifecycle, bootstrapToken));
  app.use(docsRoutes());
  app.use(refuseWhileDraining(lifecycle));
  app.use(oauthRoutes(ctx));
  for (const edge of carrierEdges) app.use(edge);
  app.use(authorizationPageRoutes(ctx));
  app.use(API_PATHS.carrierBilling, mountedAt(API_PATHS.carrierBilling), noStore, paymentRoutes(ctx));
  app.use(API_PATHS.refunds, mountedAt(API_PATHS.refunds), noStore, refundRoutes(ctx));
  app.use(API_PATHS.giftCertificates, mountedAt(API_PATHS.giftCertificates), noStore, giftCertificateRoutes(ctx));
  app.use(API_PATHS.consents, mountedAt(API_PATHS.consents), noStore, consentRoutes(ctx));
  app.use(API_PATHS.subscriptions, mountedAt(API_PATHS.subscriptions), noStore, subscriptionRoutes(ctx));
  app.use(API_PATHS.admin, mountedAt(API_PATHS.admin), noStore, adminRoutes(ctx, bootstrapToken));
  app.use(confirmationPageRoutes(ctx));
  app.use(selfServiceRoutes(ctx));
  app.use(dashboardRoutes(ctx, bootstrapToken));
  app.use(dashboardMerchantRoutes(ctx));
  app.use(dashboardGrantRoutes(ctx));
  app.use(dashboardRiskRoutes(ctx));

  app.use(notFound);
  app.use(errorHandler(ctx.log));
  return app;
}
