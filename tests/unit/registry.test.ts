import { getFunction } from '@google-cloud/functions-framework/testing';
import { describe, expect, it } from 'vitest';
import { EventTriggers, HttpRoutes } from '../../dev/routes.js';

describe('functions/index.ts', () => {
  it('registers every function the local stack routes to, without building anything at import', async () => {
    const before = { ...process.env };
    await import('../../functions/index.js');
    for (const name of new Set([...HttpRoutes.map((r) => r.fn), ...EventTriggers.map((t) => t.fn)])) {
      expect(getFunction(name), name).toBeTypeOf('function');
    }
    // No config was read and no client built: the environment is untouched and valid config is not needed.
    expect(process.env).toEqual(before);
  });
});
