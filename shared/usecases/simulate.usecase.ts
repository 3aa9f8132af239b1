import type { Analytics } from '../domain/analytics/analytics.js';
import { incomeForObligations } from '../domain/analytics/cash-flow.js';
import { simulate, type SimulateRequest, type SimulationDefaults, type SimulationResult } from '../domain/analytics/simulate.js';
import type { FiTool } from '../contracts/fi.js';
import type { Clock } from '../ports/clock.js';
import type { ConsentRepo } from '../ports/consents.js';
import type { FinancialStore } from '../ports/financial-store.js';
import { allSourcesGranted, grantedTools } from './consents.usecase.js';
import { istDate } from './read-models.js';

export interface RunSimulationDeps {
  readonly store: Pick<FinancialStore, 'view'>;
  readonly consents: Pick<ConsentRepo, 'list'>;
  readonly clock: Clock;
}

type View = Partial<Analytics> & { asOf?: string | null; valuationDate?: string };

/**
 * The analytics sections a simulation may take the user's figures from: those whose every
 * source is under an active consent right now (an expired consent leaves data in place until
 * it is swept, and a simulation must not quietly read it).
 */
export function consentedDefaults(v: View | null, granted: readonly FiTool[]): View | null {
  if (!v) return null;
  const allowed = (section: { readonly sources?: readonly string[] } | null | undefined): boolean => !!section && allSourcesGranted(section.sources ?? [], granted);
  return {
    ...(v.asOf !== undefined ? { asOf: v.asOf } : {}),
    ...(v.valuationDate !== undefined ? { valuationDate: v.valuationDate } : {}),
    ...(allowed(v.cashFlow) ? { cashFlow: v.cashFlow! } : {}),
    ...(allowed(v.allocation) ? { allocation: v.allocation! } : {}),
    ...(allowed(v.debt) ? { debt: v.debt! } : {}),
  };
}

export interface SimulationResponse {
  readonly result: SimulationResult;
  /** The analytics the defaults came from: when their data was fetched, the day it is valued on; null without data. */
  readonly data: { readonly asOf: string; readonly valuationDate: string } | null;
}

const positive = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);

/**
 * What the simulations may take from the user's own precomputed analytics when a request
 * leaves a figure out: income (the salary plus the median other monthly income when a salary
 * is detected, else the days-based average: `incomeForObligations`) and spending (bank cash
 * flow), liquid money (emergency-fund definition), investments (every allocation bucket but
 * cash) and loans (debt, with whether their rate was assumed and where their EMI comes from,
 * so the simulation labels those as defaults). Age is never known (dates of birth are not
 * kept), so retirement asks for it. Pure.
 */
export function simulationDefaultsFrom(analytics: Partial<Analytics> | null, today: string): SimulationDefaults {
  if (!analytics) return { asOf: today };
  const flow = analytics.cashFlow;
  const available = flow && flow.available ? flow : null;
  const buckets = analytics.allocation?.available ? analytics.allocation.buckets : null;
  const loans = (analytics.debt?.liabilities ?? [])
    .filter((l) => l.kind === 'loan' && l.outstandingPaise > 0)
    .map((l) => ({
      id: l.id,
      label: l.type,
      outstandingPaise: l.outstandingPaise,
      annualRatePercent: l.ratePercent,
      emiPaise: l.monthlyPaymentPaise,
      remainingMonths: null,
      // A view stored before these fields existed gives no answer: treat its rate and EMI as assumed.
      rateAssumed: typeof l.rateAssumed === 'boolean' ? l.rateAssumed : true,
      paymentBasis: typeof l.paymentBasis === 'string' ? l.paymentBasis : 'estimated-from-outstanding',
    }));
  return {
    asOf: today,
    monthlyIncomePaise: incomeForObligations(flow?.incomeEstimate),
    monthlySpendingPaise: positive(available?.monthlyAverage.spendingPaise),
    liquidAssetsPaise: positive(available?.emergencyFund.liquidAssetsPaise),
    investedPaise: buckets ? positive(buckets.filter((b) => b.bucket !== 'cash').reduce((n, b) => n + Math.max(0, b.valuePaise), 0)) : null,
    loans,
    currentAge: null,
  };
}

/**
 * Runs one validated simulation for the signed-in user, filling omitted figures from their
 * analytics view (one document read), from the sections still under consent. Deterministic for a seed; every assumption is returned.
 * @throws AppError `VALIDATION.INVALID_INPUT` when a needed figure is neither given nor known.
 */
export async function runSimulation(deps: RunSimulationDeps, uid: string, request: SimulateRequest): Promise<SimulationResponse> {
  const now = deps.clock.now();
  const today = istDate(now);
  const view = consentedDefaults((await deps.store.view(uid, 'analytics')) as View | null, grantedTools(await deps.consents.list(uid), now));
  const result = simulate(request, simulationDefaultsFrom(view, today));
  return { result, data: view?.asOf && view.valuationDate ? { asOf: view.asOf, valuationDate: view.valuationDate } : null };
}
