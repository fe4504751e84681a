import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, errors } from '../../domain/errors.js';
import { EmptyStatementError } from '../../domain/statement.js';
import type { Logger } from '../../ports/logger.js';
import { StoreUnavailableError } from '../../ports/unavailable.js';
import { routeOf } from './request-log.js';
import { OAuthError } from '../../services/access/access-tokens.js';

/** PostgreSQL errors that only bad input can cause (bad characters, values out of range). */
const CLIENT_DATA_SQLSTATES = new Set(['22021', '22P05', '22P02', '22003', '22001', '22007', '22008', '22009']);

/** Body-parser failures carry a `type`; they are the client's fault, never a 500. */
const CLIENT_BODY_ERRORS: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'Request body is not valid JSON.',
  'entity.too.large': 'Request body is too large.',
  'encoding.unsupported': 'Unsupported request body encoding.',
  'charset.unsupported': 'Unsupported request body charset.',
  'request.aborted': 'Request body was not received completely.',
};

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ status: 404, code: 'NOT_FOUND', message: 'The specified resource is not found.' });
};

/** Every error leaves as CAMARA's `{status, code, message}`; internals go to the log only. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  // Express knows an error handler by its four parameters, so `_next` stays though unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (error: unknown, req, res, _next) => {
    if (error instanceof OAuthError) {
      if (error.retryAfter !== undefined) res.set('Retry-After', String(error.retryAfter));
      res.status(error.status).set('Cache-Control', 'no-store').json({ error: error.error });
      return;
    }
    let apiError: ApiError;
    const { type, status, code } = error as { type?: string; status?: unknown; code?: unknown };
    if (error instanceof ApiError) apiError = error;
    else if (error instanceof EmptyStatementError)
      apiError = new ApiError(400, 'INVALID_ARGUMENT', 'The statement has no lines: nothing to reconcile.');
    else if (type && CLIENT_BODY_ERRORS[type])
      apiError = new ApiError(400, 'INVALID_ARGUMENT', CLIENT_BODY_ERRORS[type]);
    // Anything else express itself refused as the client's fault (a malformed %-escape in the path, say).
    else if (typeof status === 'number' && status >= 400 && status < 500)
      apiError = new ApiError(400, 'INVALID_ARGUMENT', 'Malformed request.');
    // The database is restarting or failing over: nothing decided; the client may retry shortly.
    else if (error instanceof StoreUnavailableError) {
      log.warn({ err: error.cause, route: routeOf(req, res) }, 'database unavailable');
      apiError = errors.unavailable('The service is briefly unavailable; try again in a few seconds.', 5);
    }
    // Two transactions that waited on each other: nothing was written; the client may retry.
    else if (code === '40P01' || code === '40001')
      apiError = new ApiError(503, 'UNAVAILABLE', 'The request collided with another one; try again.', 1);
    // A safety net: validation should have refused such input before it reached the database.
    else if (typeof code === 'string' && CLIENT_DATA_SQLSTATES.has(code)) {
      log.warn({ sqlstate: code, route: routeOf(req, res) }, 'input reached the database unvalidated');
      apiError = new ApiError(
        400,
        'INVALID_ARGUMENT',
        'Client specified an invalid argument, request body or query param.',
      );
    } else {
      log.error({ err: error, method: req.method, route: routeOf(req, res) }, 'unhandled error');
      apiError = new ApiError(500, 'INTERNAL', 'Server error.');
    }
    if (apiError.retryAfterSeconds !== undefined) res.set('Retry-After', String(apiError.retryAfterSeconds));
    res.status(apiError.status).json({ status: apiError.status, code: apiError.code, message: apiError.message });
  };
}
