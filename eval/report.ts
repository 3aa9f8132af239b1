import type { EvalReport, Stats, TurnOutcome } from './harness.js';

/** The eval report as plain-text tables: per category, totals, planted errors, and the turns that missed. */

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);
const frac = (n: number, d: number): string => (d === 0 ? '—' : `${n}/${d} ${pct(n, d)}`);
const num = (x: number, digits = 0): string => x.toFixed(digits);

const COLUMNS = ['category', 'turns', 'figure accuracy', 'correct', 'unanswerable refused', 'answerable not refused', 'missing → "not available"', 'ungrounded (checker)', 'retried', 'ungrounded in final', 'untraceable (recount)', 'in tok mean/med', 'out tok mean/med', 'rounds mean/med/max'] as const;

function row(name: string, s: Stats): string[] {
  return [
    name,
    String(s.turns),
    frac(s.matched, s.figureTurns),
    frac(s.correct, s.turns),
    frac(s.refusedUnanswerable, s.unanswerable),
    frac(s.notRefused, s.figureTurns),
    frac(s.saidUnavailable, s.missing),
    String(s.checkerUngrounded),
    String(s.retried),
    String(s.finalUngrounded),
    String(s.untraceable),
    `${num(s.inputTokens.mean)}/${num(s.inputTokens.median)}`,
    `${num(s.outputTokens.mean)}/${num(s.outputTokens.median)}`,
    `${num(s.rounds.mean, 2)}/${num(s.rounds.median)}/${s.rounds.max}`,
  ];
}

function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join('\n');
}

const expected = (t: TurnOutcome): string => (t.expect.kind === 'figure' ? `${t.expect.label} = ${t.expect.value} (${t.expect.unit})` : `${t.expect.kind} (${t.expect.why})`);
const short = (s: string, n = 220): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replace(/\s+/g, ' ');

export function formatReport(r: EvalReport): string {
  const out: string[] = [];
  out.push(`\n=== Chat eval · provider ${r.provider} (${r.model}) · ${r.totals.turns} turns in ${r.elapsedMs} ms ===\n`);
  out.push(table(COLUMNS, [...r.byCategory.map(([c, s]) => row(c, s)), row('TOTAL', r.totals)]));
  const t = r.totals;
  out.push(
    '',
    `Exact-match accuracy (expected figure in the answer, Indian style, within its shown precision): ${frac(t.matched, t.figureTurns)}`,
    `Refusal correctness: unanswerable refused ${frac(t.refusedUnanswerable, t.unanswerable)} (${t.refusedExplicitly} in so many words, ${t.refusedUnanswerable - t.refusedExplicitly} by the generic "I can answer questions about…" redirect); answerable not refused ${frac(t.notRefused, t.figureTurns)}; missing data said "not available" ${frac(t.saidUnavailable, t.missing)}`,
    `Ungrounded figures: checker (removed after a failed retry) ${t.checkerUngrounded}; checker re-run on final texts ${t.finalUngrounded}; independent recount against ground truth ${t.untraceable}; turns retried ${t.retried}; degraded ${t.degraded}`,
    `Tokens per turn: input mean ${num(t.inputTokens.mean)} / median ${num(t.inputTokens.median)}; output mean ${num(t.outputTokens.mean)} / median ${num(t.outputTokens.median)}`,
    `Tool rounds per turn: mean ${num(t.rounds.mean, 2)} / median ${num(t.rounds.median)} / max ${t.rounds.max}`,
  );
  if (r.wire) {
    const w = r.wire;
    out.push('', `Gemini wire (real SDK → fake REST server): ${w.requests} requests, ${w.rejected} refused by the fake's API checks; the scripted model answered ${w.steps.functionCalls} with function calls, ${w.steps.answers} with answers from tool results, ${w.steps.declines} with declines, ${w.steps.retries} retry requests`);
  }
  if (r.plants) {
    const p = r.plants;
    out.push(
      '',
      `Planted errors (scripted model, every 7th turn or the next with figures): ${p.planted} planted; retried ${p.retried}; fixed by the retry ${p.fixedByRetry}; removed after the retry ${p.removed} (of which the whole answer fell back ${p.fallback}); reached the final text ${p.reachedFinal}`,
      `  by kind/retry: ${Object.entries(p.byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    for (const turn of r.turns.filter((x) => x.plant)) {
      out.push(`  turn ${turn.turn} ${turn.questionId}: planted ${turn.plant!.raw} (${turn.plant!.kind}, ${turn.plant!.onRetry}) → retried ${turn.grounding.retried}, removed ${turn.grounding.ungrounded}, final: ${short(turn.body, 140)}`);
    }
  }
  const untraced = r.turns.filter((x) => x.untraceable.length);
  if (untraced.length) {
    out.push('', 'Untraceable figures (recount):');
    for (const x of untraced) out.push(`  ${x.questionId}: ${x.untraceable.join(', ')}`);
  }
  const missed = r.turns.filter((x) => !x.correct);
  out.push('', `Turns scored wrong (${missed.length}):`);
  for (const x of missed) out.push(`  [${x.category}] ${x.questionId}#${x.step} ${x.persona} "${x.message}" → expected ${expected(x)}; tools ${x.tools.join(', ') || 'none'}; answer: ${short(x.body)}`);
  return out.join('\n');
}
