import type { Request } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { parseWith } from '../../shared/contracts/validation.js';
import { AppError } from '../../shared/domain/errors.js';
import { hasBody } from './security.js';

/**
 * Refuses a request body that is not JSON. Simple cross-site form posts cannot send
 * `application/json` without a CORS preflight, so this is also part of the CSRF defence.
 * The router applies it to every state-changing request that has a body.
 * @throws AppError VALIDATION.INVALID_INPUT naming the `content-type` field.
 */
export function requireJsonContentType(req: Request, what = 'request body'): void {
  const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('VALIDATION.INVALID_INPUT', `${what} must be JSON (Content-Type: application/json)`, {
      problems: [{ field: 'content-type', message: 'expected application/json' }],
    });
  }
}

/**
 * The JSON body of a state-changing request, validated with `schema` (strict schemas
 * reject unknown fields). The functions framework has parsed it already (malformed JSON
 * never reaches us: it answers 400); a body that is not an object or array (a bare JSON
 * string or number) is checked by the schema like anything else. The router has already
 * bounded its size.
 * @throws AppError VALIDATION.INVALID_INPUT naming each offending field.
 */
export function jsonBody<S extends z.ZodType>(req: Request, schema: S, what = 'request body'): z.infer<S> {
  requireJsonContentType(req, what);
  return parseWith(schema, req.body ?? {}, what);
}

const NoFields = z.strictObject({});

/**
 * For state-changing routes that take no input: no body, or an empty JSON object. Anything
 * else (unknown fields, another JSON type) is refused, so a client's mistake is visible.
 * @throws AppError VALIDATION.INVALID_INPUT naming the unknown fields.
 */
export function emptyBody(req: Request): void {
  if (!hasBody(req)) return;
  jsonBody(req, NoFields);
}

/**
 * The query string validated with `schema`. Query values arrive as strings (or arrays when a
 * key repeats); the first of each is kept.
 * @throws AppError VALIDATION.INVALID_INPUT naming each offending parameter.
 */
export function queryParams<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  return parseWith(schema, query, 'query');
}
