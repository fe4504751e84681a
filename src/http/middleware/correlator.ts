import type { RequestHandler } from 'express';
import { errors } from '../../domain/errors.js';

const X_CORRELATOR = /^[a-zA-Z0-9-_:;./<>{}]{0,256}$/;

/** CAMARA's x-correlator: checked against its pattern and echoed on the response. */
export const correlator: RequestHandler = (req, res, next) => {
  const value = req.get('x-correlator');
  if (value !== undefined && !X_CORRELATOR.test(value)) {
    next(errors.invalidArgument('x-correlator header does not match the required pattern.'));
    return;
  }
  if (value !== undefined) res.set('x-correlator', value);
  next();
};
