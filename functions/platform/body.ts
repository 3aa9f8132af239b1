import type { Request } from '@google-cloud/functions-framework';
import type { z } from 'zod';
import { parseWith } from '../../shared/contracts/validation.js';
import { AppError } from '../../shared/domain/errors.js';

/**
 * The JSON body of a state-changing request, validated with `schema` (strict schemas
 * reject unknown fields). A non-JSON content type is refused: it also keeps simple
 * cross-site form posts out.
 * @throws AppError VALIDATION.INVALID_INPUT naming each offending field.
 */
export function jsonBody<S extends z.ZodType>(req: Request, schema: S, what = 'request body'): z.infer<S> {
  const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('VALIDATION.INVALID_INPUT', `${what} must be JSON (Content-Type: application/json)`, {
      problems: [{ field: 'content-type', message: 'expected application/json' }],
    });
  }
  return parseWith(schema, req.body ?? {}, what);
}
