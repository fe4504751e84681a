/** Why a notification could not be handed over: no status, only a short cause for the outbox. */
export class WebhookError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WebhookError';
  }
}

/**
 * POSTs a notification to a merchant's sink. The implementation decides where a connection may
 * go: to public addresses only, checked on the very address it connects to.
 */
export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number }>;
  close(): void;
}
