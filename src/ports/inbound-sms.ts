/** A message a phone user sent to the gateway's number, as their carrier delivered it. */
export interface InboundSms {
  /** The carrier that delivered it (the endpoint it used, and the credentials it presented). */
  readonly carrierId: string;
  /** E.164 number of the sender. */
  readonly from: string;
  readonly text: string;
}

/** What a carrier protocol's inbound endpoint needs of the core. */
export interface InboundSmsHandlers {
  /** Whether the credentials presented (HTTP Basic) are those configured for the carrier. */
  authorize(carrierId: string, username: string, password: string): boolean;
  /** Acts on the message. Never throws for what the phone user wrote: a carrier gets no error for it. */
  receive(sms: InboundSms): Promise<void>;
}
