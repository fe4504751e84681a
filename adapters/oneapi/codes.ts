/**
 * HTTP statuses without an exception body. 503, 429 and 408 refuse before acceptance (not
 * executed); 400, 404, 405 and 422 reject the request itself (declined); anything else — 401/403
 * from a proxy, 5xx — may hide an applied request (unknown).
 */
export const NOT_EXECUTED_STATUSES: ReadonlySet<number> = new Set([503, 429, 408]);
export const DECLINING_STATUSES: ReadonlySet<number> = new Set([400, 404, 405, 422]);
