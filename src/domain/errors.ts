/**
 * The one error type the core raises for anything a client did or asked for.
 * It carries CAMARA's error body fields; the HTTP layer turns it into `{status, code, message}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 429 and 503: when the client may try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** CAMARA's common errors, with the messages the specification uses. */
export const errors = {
  invalidArgument: (message = 'Client specified an invalid argument, request body or query param.') =>
    new ApiError(400, 'INVALID_ARGUMENT', message),
  outOfRange: () => new ApiError(400, 'OUT_OF_RANGE', 'Client specified an invalid range.'),
  gone: (message: string) => new ApiError(410, 'GONE', message),
  invalidDateRange: () =>
    new ApiError(400, 'CARRIER_BILLING.INVALID_DATE_RANGE', 'Client specified an invalid date range.'),
  invalidRefundDateRange: () =>
    new ApiError(400, 'CARRIER_BILLING_REFUND.INVALID_DATE_RANGE', 'Client specified an invalid date range.'),
  unauthenticated: () =>
    new ApiError(
      401,
      'UNAUTHENTICATED',
      'Request not authenticated due to missing, invalid, or expired credentials. A new authentication is required.',
    ),
  permissionDenied: (message = 'Client does not have sufficient permissions to perform this action.') =>
    new ApiError(403, 'PERMISSION_DENIED', message),
  notFound: (message = 'The specified resource is not found.') => new ApiError(404, 'NOT_FOUND', message),
  conflict: (message: string) => new ApiError(409, 'CONFLICT', message),
  identifierNotFound: () => new ApiError(404, 'IDENTIFIER_NOT_FOUND', 'phoneNumber not found.'),
  alreadyExists: (message = 'The resource that a client tried to create already exists.') =>
    new ApiError(409, 'ALREADY_EXISTS', message),
  serviceNotApplicable: () =>
    new ApiError(422, 'SERVICE_NOT_APPLICABLE', 'The service is not available for the provided identifier.'),
  amountThresholdOverpassed: () =>
    new ApiError(
      422,
      'CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED',
      'Unauthorized payment request. Accumulated user mobile payments overpass account amount threshold.',
    ),
  unauthorizedAmount: () => new ApiError(422, 'CARRIER_BILLING.UNAUTHORIZED_AMOUNT', 'Unauthorized amount requested.'),
  missingIdentifier: () => new ApiError(422, 'MISSING_IDENTIFIER', 'The phone number cannot be identified.'),
  unnecessaryIdentifier: () =>
    new ApiError(422, 'UNNECESSARY_IDENTIFIER', 'The phone number is already identified by the access token.'),
  tooManyRequests: (message = 'Rate limit reached.', retryAfterSeconds?: number) =>
    new ApiError(429, 'TOO_MANY_REQUESTS', message, retryAfterSeconds),
  unavailable: (message = 'Service unavailable.', retryAfterSeconds?: number) =>
    new ApiError(503, 'UNAVAILABLE', message, retryAfterSeconds),
  paymentDenied: (message = 'Payment denied by business.') =>
    new ApiError(403, 'CARRIER_BILLING.PAYMENT_DENIED', message),
  refundDenied: (message = 'Refund denied by business.') =>
    new ApiError(403, 'CARRIER_BILLING_REFUND.REFUND_DENIED', message),
  notEligibleForRefund: (message = 'Payment not eligible for refund.') =>
    new ApiError(403, 'CARRIER_BILLING_REFUND.PAYMENT_NOT_ELIGIBLE_FOR_REFUND', message),
  refundUnauthorizedAmount: (message = 'Unauthorized amount requested.') =>
    new ApiError(422, 'CARRIER_BILLING_REFUND.UNAUTHORIZED_AMOUNT', message),
  invalidPaymentStatus: () =>
    new ApiError(422, 'CARRIER_BILLING_REFUND.INVALID_PAYMENT_STATUS', 'Payment is not yet completed.'),
  certificateNotFound: () => new ApiError(404, 'GIFT_CERTIFICATE_NOT_FOUND', 'No such gift certificate.'),
  insufficientBalance: (message = 'The gift certificate balance is lower than the amount.') =>
    new ApiError(409, 'INSUFFICIENT_BALANCE', message),
  certificateInactive: (status: string) =>
    new ApiError(410, 'GIFT_CERTIFICATE_INACTIVE', `The gift certificate is ${status}.`),
  paymentConfirmed: () => new ApiError(409, 'CARRIER_BILLING.PAYMENT_CONFIRMED', 'Payment has been confirmed.'),
  paymentCancelled: () => new ApiError(409, 'CARRIER_BILLING.PAYMENT_CANCELLED', 'Payment has been cancelled.'),
  invalidAuthorizationId: () =>
    new ApiError(400, 'CARRIER_BILLING.INVALID_AUTHORIZATION_ID', 'Invalid authorizationId.'),
  invalidCode: (message = 'Invalid code.') => new ApiError(400, 'CARRIER_BILLING.INVALID_CODE', message),
  validationFailed: (message = 'the maximum number of attempts have been consumed for this validation.') =>
    new ApiError(400, 'CARRIER_BILLING.VALIDATION_FAILED', message),
};
