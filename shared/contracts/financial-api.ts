import { z } from 'zod';

const isoDay = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD');

/** `GET /api/financial/transactions` query: bounded page size, optional filters. */
export const TransactionsQuery = z
  .strictObject({
    account: z.string().min(1).max(200).optional(),
    kind: z.enum(['bank', 'mf', 'stock'], { error: 'expected one of bank, mf, stock' }).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
    limit: z.coerce.number({ error: 'expected a number' }).int('expected an integer').min(1, 'at least 1').max(100, 'at most 100').default(50),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'must not be after to' });
export type TransactionsQuery = z.infer<typeof TransactionsQuery>;

export const NetWorthQuery = z.strictObject({
  period: z.enum(['1m', '3m', '6m', '1y', 'all'], { error: 'expected one of 1m, 3m, 6m, 1y, all' }).default('all'),
});
