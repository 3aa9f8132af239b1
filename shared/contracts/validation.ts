import type { z } from 'zod';
import { AppError, type FieldProblem } from '../domain/errors.js';

/** Turns zod issues into field problems that name the field and never echo the input value. */
export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  const path = (parts: readonly PropertyKey[]) => [prefix, ...parts.map(String)].filter(Boolean).join('.');
  return error.issues.flatMap((issue) =>
    // An unknown field is named itself (bounded), not its parent.
    issue.code === 'unrecognized_keys'
      ? issue.keys.slice(0, 10).map((k) => ({ field: path([...issue.path, k.slice(0, 64)]), message: 'unknown field' }))
      : [{ field: path(issue.path), message: issue.message }],
  );
}

/**
 * Parses `input` with `schema`, or throws an AppError with `code` whose problems name every
 * offending field. The one way untrusted input enters the core.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: 'VALIDATION.INVALID_INPUT' | 'EVENT.MALFORMED' = 'VALIDATION.INVALID_INPUT',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error);
  const summary = problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');
  throw new AppError(code, `${what} is invalid: ${summary}`, { problems });
}
