import type { Request, Response } from '@google-cloud/functions-framework';
import { ChatBody, ConversationId } from '../../shared/contracts/ai.js';
import { parseWith } from '../../shared/contracts/validation.js';
import { AppError, isAppError } from '../../shared/domain/errors.js';
import { chatTurn, type ChatDeps, type ChatEvent } from '../../shared/usecases/ai/chat.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { jsonBody } from '../platform/body.js';
import { router } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';

const wantsStream = (req: Request): boolean => (req.header('accept') ?? '').includes('text/event-stream');

/** One server-sent event. */
const sse = (res: Response, e: { type: string } & Record<string, unknown>): void => {
  const { type, ...data } = e;
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
};

/**
 * The `chat` HTTP function (Hosting rewrites `/api/chat` and `/api/chat/**` here): a turn of
 * the grounded chat, streamed as server-sent events when the client accepts
 * `text/event-stream` (events `conversation`, `tool`, `delta`, `done`, or `error`), else one
 * JSON answer; and the user's conversations.
 */
export function chat(getDeps: GetDeps) {
  const chatDeps = async (log: ChatDeps['log']): Promise<ChatDeps> => {
    const deps = getDeps();
    return {
      llm: await deps.llm(),
      tools: { store: await deps.financial(), consents: await deps.consents(), clock: deps.clock },
      conversations: await deps.conversations(),
      budget: await deps.aiBudget(),
      clock: deps.clock,
      log,
    };
  };
  const conversationId = (raw: string | undefined) => parseWith(ConversationId, raw, 'path');
  return router(
    {
      'POST /api/chat': limited('chat', withUser(getDeps, async (req, res, ctx) => {
        const body = jsonBody(req, ChatBody);
        const deps = await chatDeps(ctx.log);
        if (!wantsStream(req)) {
          res.json(await chatTurn(deps, ctx.user.uid, body));
          return;
        }
        // Errors found before the first event (budget, unknown conversation) are plain JSON answers.
        let started = false;
        const emit = (e: ChatEvent) => {
          if (!started) {
            started = true;
            res.status(200);
            res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
            res.setHeader('X-Accel-Buffering', 'no');
            res.flushHeaders();
          }
          sse(res, e.type === 'done' ? { type: 'done', ...e.answer } : (e as ChatEvent & { type: string }));
        };
        try {
          await chatTurn(deps, ctx.user.uid, body, emit);
        } catch (e) {
          if (!started) throw e;
          ctx.log.error('chat stream failed', { errorCode: isAppError(e) ? e.code : 'INTERNAL' });
          sse(res, { type: 'error', code: isAppError(e) ? e.code : 'INTERNAL', message: 'The answer could not be completed; please try again.', requestId: ctx.requestId });
        }
        res.end();
      })),
      'GET /api/chat/conversations': withUser(getDeps, async (_req, res, ctx) => {
        res.json({ conversations: await (await getDeps().conversations()).list(ctx.user.uid, 50) });
      }),
      'GET /api/chat/conversations/:id': withUser(getDeps, async (_req, res, ctx) => {
        const id = conversationId(ctx.params.id);
        const repo = await getDeps().conversations();
        const conversation = await repo.get(ctx.user.uid, id);
        if (!conversation) throw new AppError('NOT_FOUND', 'No conversation with this id');
        res.json({ conversation, messages: await repo.messages(ctx.user.uid, id, 200) });
      }),
      'DELETE /api/chat/conversations/:id': withUser(getDeps, async (_req, res, ctx) => {
        const id = conversationId(ctx.params.id);
        if (!(await (await getDeps().conversations()).delete(ctx.user.uid, id))) throw new AppError('NOT_FOUND', 'No conversation with this id');
        res.status(204).end();
      }),
    },
    getDeps,
  );
}
