export interface DeliveredSms {
  readonly messageId: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly sentAt: string;
}

/** Every SMS the simulated carriers delivered, by recipient, oldest first. */
export class SmsInbox {
  private readonly byRecipient = new Map<string, DeliveredSms[]>();
  private sequence = 0;

  deliver(to: string, from: string, text: string): DeliveredSms {
    const sms = { messageId: `sms-${++this.sequence}`, to, from, text, sentAt: new Date().toISOString() };
    const list = this.byRecipient.get(to) ?? [];
    list.push(sms);
    this.byRecipient.set(to, list);
    return sms;
  }

  nextMessageId(): string {
    return `sms-${++this.sequence}`;
  }

  for(to: string): readonly DeliveredSms[] {
    return this.byRecipient.get(to) ?? [];
  }
}
