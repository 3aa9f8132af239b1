import { allocation, type Allocation } from './allocation.js';
import { cashFlow, incomeForObligations, type CashFlowAnalytics } from './cash-flow.js';
import { creditAnalytics, type CreditAnalytics } from './credit.js';
import { debtAnalytics, type DebtAnalytics } from './debt.js';
import { epfAnalytics, type EpfAnalytics } from './epf-summary.js';
import type { AnalyticsInput } from './input.js';
import { investmentReturns, type InvestmentReturns } from './returns.js';
import { stockPositions, type StockPositions } from './stocks.js';

/**
 * The analytics view: every section computed from one committed generation. Each section
 * carries its own `asOf` and `sources` (the Fi tools its figures come from), so any figure
 * can be traced to the data behind it. Pure.
 */
export interface Analytics {
  readonly asOf: string;
  readonly returns: InvestmentReturns;
  readonly stocks: StockPositions;
  readonly allocation: Allocation;
  readonly cashFlow: CashFlowAnalytics;
  readonly credit: CreditAnalytics;
  readonly debt: DebtAnalytics;
  readonly epf: EpfAnalytics;
}

export function buildAnalytics(input: AnalyticsInput): Analytics {
  const flow = cashFlow(input);
  return {
    asOf: input.asOf,
    returns: investmentReturns(input),
    stocks: stockPositions(input),
    allocation: allocation(input),
    cashFlow: flow,
    credit: creditAnalytics(input),
    // The salary (plus the median other monthly income) when there is one: see `IncomeEstimate.typicalMonthlyIncomePaise`.
    debt: debtAnalytics(input, { monthlyIncomePaise: incomeForObligations(flow.incomeEstimate) }),
    epf: epfAnalytics(input),
  };
}
