import type { Request, Response } from '@google-cloud/functions-framework';
import { ChatBody, ConversationId } from '../../shared/contracts/ai.js';
import { parseWith } from '../../shared/contracts/validation.js';
import { AppError, isAppError } from '../../shared/domain/errors.js';
import { ChatAborted, chatTurn, type ChatDeps, type ChatEvent } from '../../shared/usecases/ai/chat.usecase.js';
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

export interface ChatHttpOptions {
  /** Interval of the SSE keep-alive comment while a turn runs. Default 15 s. */
  readonly keepAliveMs?: number;
}

/**
 * The `chat` HTTP function (Hosting rewrites `/api/chat` and `/api/chat/**` here): a turn of
 * the grounded chat, streamed as server-sent events when the client accepts
 * `text/event-stream` (events `conversation`, `tool`, `delta`, `done`, or `error`, and a
 * `: keep-alive` comment every `keepAliveMs` while the turn runs, so proxies keep a slow turn
 * open), else one JSON answer; and the user's conversations. A client that disconnects
 * mid-turn aborts it: no further model call is made and the turn is not stored.
 */
export function chat(getDeps: GetDeps, options: ChatHttpOptions = {}) {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
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
        // 'close' before the response has finished: the client went away.
        const gone = new AbortController();
        const onClose = () => {
          if (!res.writableFinished) gone.abort();
        };
        res.on('close', onClose);
        let keepAlive: NodeJS.Timeout | undefined;
        try {
          if (!wantsStream(req)) {
            res.json(await chatTurn(deps, ctx.user.uid, body, undefined, { signal: gone.signal }));
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
              keepAlive = setInterval(() => {
                if (!res.writableEnded) res.write(': keep-alive\n\n');
              }, keepAliveMs);
            }
            sse(res, e.type === 'done' ? { type: 'done', ...e.answer } : (e as ChatEvent & { type: string }));
          };
          try {
            await chatTurn(deps, ctx.user.uid, body, emit, { signal: gone.signal });
          } catch (e) {
            if (!started || e instanceof ChatAborted) throw e;
            ctx.log.error('chat stream failed', { errorCode: isAppError(e) ? e.code : 'INTERNAL' });
            sse(res, { type: 'error', code: isAppError(e) ? e.code : 'INTERNAL', message: 'The answer could not be completed; please try again.', requestId: ctx.requestId });
          }
          res.end();
        } catch (e) {
          // Nobody is listening: nothing to answer, and nothing was stored.
          if (e instanceof ChatAborted) {
            ctx.log.info('chat turn abandoned: the client went away');
            if (!res.writableEnded) res.end();
            return;
          }
          throw e;
        } finally {
          clearInterval(keepAlive);
          res.off('close', onClose);
        }
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
