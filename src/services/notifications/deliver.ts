import { createHmac } from 'node:crypto';
import type { Context } from '../context.js';
import { decrypt, sealedAt } from '../keys.js';
import { WebhookError } from '../../ports/webhooks.js';
import type { PendingNotification } from '../../ports/store/notifications.js';

/**
 * Delivers one CAMARA notification from the outbox, at least once (receivers dedupe by its `id`),
 * with the merchant's access token as `Authorization: Bearer` and, for merchants with a secret, an
 * HMAC-SHA256 of the body in `X-Signature`. A failed try is retried with exponential backoff (1 s,
 * 2 s, 4 s … at most an hour apart) for `retryHours`; a 410 Gone ends it at once, as CAMARA says.
 */
export async function deliverNotification(ctx: Context, n: PendingNotification): Promise<boolean> {
  const body = JSON.stringify({ id: n.event_id, ...n.event });
  const headers: Record<string, string> = {
    'content-type': 'application/cloudevents+json',
    'x-correlator': n.event_id,
  };
  let error: string;
  let gone = false;
  try {
    if (n.sink_credential_encrypted) {
      const credential = JSON.parse(
        // Each credential is sealed to what it came with: a payment, a refund, a consent, a subscription.
        decrypt(
          ctx.keys.merchantSecrets,
          n.sink_credential_encrypted,
          sealedAt.sinkCredential(n.refund_id ?? n.payment_id ?? n.consent_id ?? n.subscription_id ?? ''),
        ),
      ) as {
        accessToken?: string;
      };
      if (credential.accessToken) headers.authorization = `Bearer ${credential.accessToken}`;
    }
    if (n.notification_secret_encrypted) {
      const secret = decrypt(
        ctx.keys.merchantSecrets,
        n.notification_secret_encrypted,
        sealedAt.notificationSecret(n.merchant_id),
      );
      headers['x-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    }
    // Redirects are not followed: a sink answers where it was registered, or fails.
    const response = await ctx.webhooks.post(n.sink, body, headers, ctx.config.notifications.timeoutMs);
    if (response.status >= 200 && response.status < 300) {
      await ctx.store.notifications.markDelivered(n.id);
      return true;
    }
    error = `HTTP ${response.status}`;
    gone = response.status === 410;
  } catch (e) {
    error = e instanceof WebhookError ? e.reason : (e as Error).message;
  }
  const expired = Date.now() - n.created_at.getTime() > ctx.config.notifications.retryHours * 3_600_000;
  const retryIn = Math.min(3600, 2 ** Math.max(0, n.attempts - 1));
  await ctx.store.notifications.markFailedTry(n.id, error, retryIn, gone || expired);
  return false;
}
