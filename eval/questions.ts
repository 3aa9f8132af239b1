import { buildAnalytics, type Analytics } from '../shared/domain/analytics/analytics.js';
import type { Category } from '../shared/domain/analytics/cash-flow.js';
import type { AnalyticsInput } from '../shared/domain/analytics/input.js';
import { monthlyRollups, netWorthSeries, type NetWorthPeriod, type NetWorthSeries } from '../shared/domain/analytics/net-worth-history.js';
import { istDate, snapshotOf } from '../shared/usecases/read-models.js';
import { personaInput } from '../tests/support/persona-data.js';
import { ASKED_AT, replayedSnapshots, SYNCED_AT } from './fixture.js';

/**
 * The eval's questions. Every expected figure is computed here from the persona's Fi files by
 * the analytics code (`buildAnalytics` over `personaInput`, and `netWorthSeries` over the
 * fixture's snapshots), never typed in, so a change in the data or the analytics moves the
 * expectation with it. Amounts are rupees (paise / 100, as the tools give them).
 */

/** The unit the answer must write the figure in: rupees, percent, months, or a bare number (scores, counts). */
export type ExpectedUnit = 'inr' | 'percent' | 'months' | 'plain';

export type Expectation =
  /** The answer must quote this figure (within the precision it shows). */
  | { readonly kind: 'figure'; readonly label: string; readonly unit: ExpectedUnit; readonly value: number }
  /** The data cannot answer it (future, market, another person, not in Fi): a refusal with no figures. */
  | { readonly kind: 'refusal'; readonly why: string }
  /** Answerable in general, but this persona's data lacks it: say it is not available, with no figures. */
  | { readonly kind: 'not-available'; readonly why: string };

export type QuestionCategory =
  | 'net-worth'
  | 'allocation'
  | 'returns'
  | 'spending'
  | 'cash-flow'
  | 'credit'
  | 'epf'
  | 'debt'
  | 'history'
  | 'unanswerable'
  | 'missing-data';

/** What the expectations are computed from. */
export interface Truth {
  readonly phone: string;
  readonly input: AnalyticsInput;
  readonly analytics: Analytics;
  /** Net worth over each period as of the question day, from the fixture's snapshots. */
  readonly history: Readonly<Record<NetWorthPeriod, NetWorthSeries>>;
}

export interface Turn {
  readonly message: string | ((t: Truth) => string);
  readonly expect: (t: Truth) => Expectation;
}

/** One conversation: the first turn, then follow-ups that depend on it. */
export interface Question {
  readonly id: string;
  readonly persona: string;
  readonly category: QuestionCategory;
  readonly turns: readonly Turn[];
}

const truths = new Map<string, Truth>();

/** The persona's ground truth, computed once. */
export function truthOf(phone: string): Truth {
  const cached = truths.get(phone);
  if (cached) return cached;
  const input = personaInput(phone);
  const analytics = buildAnalytics(input);
  const synced = snapshotOf({ committedGen: 1, sources: {}, accounts: input.accounts, holdings: input.holdings, netWorth: input.netWorth, creditReport: input.creditReport, epf: input.epf }, new Date(SYNCED_AT));
  const daily = [...replayedSnapshots(input, SYNCED_AT), ...(synced ? [synced] : [])];
  const periods: readonly NetWorthPeriod[] = ['1m', '3m', '6m', '1y', 'all'];
  const history = Object.fromEntries(periods.map((p) => [p, netWorthSeries(p, istDate(new Date(ASKED_AT)), daily, monthlyRollups(daily))])) as Record<NetWorthPeriod, NetWorthSeries>;
  const truth: Truth = { phone, input, analytics, history };
  truths.set(phone, truth);
  return truth;
}

// ---------------------------------------------------------------------------------------
// Expectation builders

const rupees = (paise: number | null | undefined): number | null => (typeof paise === 'number' && Number.isFinite(paise) ? paise / 100 : null);

/** A figure, or "not available" when the analytics have no value for this persona. */
const figure = (label: string, unit: ExpectedUnit, value: number | null | undefined): Expectation =>
  typeof value === 'number' && Number.isFinite(value) ? { kind: 'figure', label, unit, value } : { kind: 'not-available', why: `the analytics give no ${label} for this persona` };

const refusal = (why: string) => (): Expectation => ({ kind: 'refusal', why });
const notAvailable = (why: string) => (): Expectation => ({ kind: 'not-available', why });

const E = {
  netWorth: (t: Truth) => figure('net worth', 'inr', rupees(t.input.netWorth?.netWorthPaise)),
  totalAssets: (t: Truth) => figure('total assets', 'inr', rupees(t.input.netWorth?.totalAssetsPaise)),
  totalLiabilities: (t: Truth) => figure('total liabilities', 'inr', rupees(t.input.netWorth?.totalLiabilitiesPaise)),
  bucketShare: (bucket: string) => (t: Truth) => figure(`${bucket} share of assets`, 'percent', t.analytics.allocation.available ? t.analytics.allocation.buckets.find((b) => b.bucket === bucket)?.sharePercent : null),
  portfolioXirr: (t: Truth) => figure('portfolio XIRR', 'percent', t.analytics.returns.available ? t.analytics.returns.totals.xirrPercent : null),
  absoluteGain: (t: Truth) => figure('absolute gain', 'inr', t.analytics.returns.available ? rupees(t.analytics.returns.totals.absoluteGainPaise) : null),
  largestSchemeXirr: (t: Truth) => figure('largest fund XIRR', 'percent', largestScheme(t)?.xirrPercent),
  spend: (category: Category) => (t: Truth) => {
    const c = t.analytics.cashFlow;
    return figure(`${category} spending`, 'inr', c.available ? rupees(c.spendingByCategory.find((s) => s.category === category)?.amountPaise ?? 0) : null);
  },
  savingsRate: (t: Truth) => figure('savings rate', 'percent', t.analytics.cashFlow.available ? t.analytics.cashFlow.monthlyAverage.savingsRatePercent : null),
  emergencyMonths: (t: Truth) => figure('emergency fund months', 'months', t.analytics.cashFlow.available ? t.analytics.cashFlow.emergencyFund.months : null),
  monthlyIncome: (t: Truth) => figure('monthly income', 'inr', t.analytics.cashFlow.available ? rupees(t.analytics.cashFlow.incomeEstimate.monthlyIncomePaise) : null),
  creditScore: (t: Truth) => figure('credit score', 'plain', t.analytics.credit.available ? t.analytics.credit.score.value : null),
  utilisation: (t: Truth) => figure('card utilisation', 'percent', t.analytics.credit.available ? t.analytics.credit.utilisation.overallPercent : null),
  epfTotal: (t: Truth) => figure('EPF balance', 'inr', t.analytics.epf.available ? rupees(t.analytics.epf.totalBalancePaise) : null),
  dormantCount: (t: Truth) => figure('dormant EPF accounts', 'plain', t.analytics.epf.available ? t.analytics.epf.dormant.count : null),
  dormantAmount: (t: Truth) => figure('dormant EPF balance', 'inr', t.analytics.epf.available ? rupees(t.analytics.epf.dormant.balancePaise) : null),
  debtOutstanding: (t: Truth) => figure('total outstanding debt', 'inr', t.analytics.debt.liabilities.length ? rupees(t.analytics.debt.totalOutstandingPaise) : null),
  avalancheMonths: (t: Truth) => figure('months to debt-free (avalanche)', 'months', t.analytics.debt.payoff?.avalanche.months),
  emiToIncome: (t: Truth) => figure('EMI to income', 'percent', t.analytics.debt.emiToIncome?.percent),
  netWorthChange: (period: NetWorthPeriod) => (t: Truth) => figure(`net worth change (${period})`, 'inr', rupees(t.history[period].changePaise)),
};

/** The held fund with the largest current value that has an XIRR. */
function largestScheme(t: Truth) {
  if (!t.analytics.returns.available) return undefined;
  return [...t.analytics.returns.schemes].filter((s) => s.status === 'held' && s.xirrPercent !== null).sort((a, b) => (b.currentValuePaise ?? 0) - (a.currentValuePaise ?? 0))[0];
}

/** "Aravalli Flexi Cap Fund - Direct Plan - Growth" → "Aravalli Flexi Cap Fund". */
const shortSchemeName = (t: Truth): string => (largestScheme(t)?.name ?? 'largest').split(' - ')[0]!;

const ask = (message: Turn['message'], expect: Turn['expect']): Turn => ({ message, expect });
const single = (id: string, persona: string, category: QuestionCategory, message: Turn['message'], expect: Turn['expect']): Question => ({ id, persona, category, turns: [ask(message, expect)] });
const conversation = (id: string, persona: string, category: QuestionCategory, ...turns: Turn[]): Question => ({ id, persona, category, turns });

// ---------------------------------------------------------------------------------------
// The questions

const LARGEST = '2222222222';
const DEBT_HEAVY = '6666666666';
const DORMANT_EPF = '9000000010';
const NEARLY_EMPTY = '1111111111';
const EMIS = '9000000012';
const NO_CREDIT = '3333333333';
const FIXED_INCOME = '8888888888';
const NO_BANK = '5555555555';
const SIP_INVESTOR = '7777777777';
const HIGH_EARNER = '9000000015';
const SCHEMA_ONLY_CREDIT = '4444444444';

export const QUESTIONS: readonly Question[] = [
  // The largest persona, one question per figure the analytics give.
  single('L-networth', LARGEST, 'net-worth', 'What is my net worth?', E.netWorth),
  single('L-assets', LARGEST, 'net-worth', 'What are my total assets?', E.totalAssets),
  single('L-liabilities', LARGEST, 'net-worth', 'What are my total liabilities?', E.totalLiabilities),
  single('L-equity', LARGEST, 'allocation', 'What share of my portfolio is equity?', E.bucketShare('equity')),
  single('L-gold', LARGEST, 'allocation', 'How much of my assets is in gold?', E.bucketShare('gold')),
  single('L-xirr', LARGEST, 'returns', 'What is my portfolio XIRR?', E.portfolioXirr),
  single('L-scheme-xirr', LARGEST, 'returns', (t) => `What is the XIRR of my ${shortSchemeName(t)}?`, E.largestSchemeXirr),
  single('L-gain', LARGEST, 'returns', 'What is my absolute gain on mutual funds?', E.absoluteGain),
  single('L-rent', LARGEST, 'spending', 'How much did I spend on rent?', E.spend('rent')),
  single('L-upi', LARGEST, 'spending', 'How much did I spend through UPI?', E.spend('upi_spend')),
  single('L-atm', LARGEST, 'spending', 'How much cash did I withdraw from ATMs?', E.spend('atm_cash')),
  single('L-cardbills', LARGEST, 'spending', 'How much did I spend on credit card bills?', E.spend('card_payment')),
  single('L-bills', LARGEST, 'spending', 'How much did I spend on electricity and phone bills?', E.spend('bills')),
  single('L-savings', LARGEST, 'cash-flow', 'What is my savings rate?', E.savingsRate),
  single('L-emergency', LARGEST, 'cash-flow', 'How many months would my emergency fund last?', E.emergencyMonths),
  single('L-income', LARGEST, 'cash-flow', 'What is my average monthly income?', E.monthlyIncome),
  single('L-score', LARGEST, 'credit', 'What is my credit score?', E.creditScore),
  single('L-util', LARGEST, 'credit', 'What is my credit card utilisation?', E.utilisation),
  single('L-epf', LARGEST, 'epf', 'What is my EPF balance?', E.epfTotal),
  single('L-dormant-count', LARGEST, 'epf', 'How many dormant EPF accounts do I have?', E.dormantCount),
  single('L-dormant-amount', LARGEST, 'epf', 'How much money is stuck in dormant EPF accounts?', E.dormantAmount),
  single('L-debt', LARGEST, 'debt', 'What is my total outstanding debt?', E.debtOutstanding),
  single('L-avalanche', LARGEST, 'debt', 'How many months until I am debt-free with the avalanche method?', E.avalancheMonths),
  single('L-emi-income', LARGEST, 'debt', 'What is my EMI to income ratio?', E.emiToIncome),
  single('L-change', LARGEST, 'history', 'How has my net worth changed over the last month?', E.netWorthChange('1m')),
  single('L-change-3m', LARGEST, 'history', 'How has my net worth grown over the last 3 months?', E.netWorthChange('3m')),
  single('L-owe', LARGEST, 'debt', 'How much do I owe in total?', E.debtOutstanding),

  // Debt-heavy, low performer: negative net worth, over-limit cards, late payments.
  single('D-networth', DEBT_HEAVY, 'net-worth', 'What is my net worth?', E.netWorth),
  single('D-score', DEBT_HEAVY, 'credit', 'What is my CIBIL score?', E.creditScore),
  single('D-util', DEBT_HEAVY, 'credit', 'What is my card utilisation?', E.utilisation),
  single('D-debt', DEBT_HEAVY, 'debt', 'How much outstanding debt do I have?', E.debtOutstanding),
  single('D-avalanche', DEBT_HEAVY, 'debt', 'When will I be debt-free if I use the avalanche method? How many months?', E.avalancheMonths),
  single('D-emi-income', DEBT_HEAVY, 'debt', 'What share of my income goes to EMIs?', E.emiToIncome),
  single('D-emi-spend', DEBT_HEAVY, 'spending', 'How much did I spend on EMIs?', E.spend('emi')),
  single('D-fees', DEBT_HEAVY, 'spending', 'How much did I spend on bank charges and penalties?', E.spend('fees')),
  single('D-xirr', DEBT_HEAVY, 'returns', 'What is my XIRR?', E.portfolioXirr),
  single('D-savings', DEBT_HEAVY, 'cash-flow', 'What is my savings rate?', E.savingsRate),
  single('D-emergency', DEBT_HEAVY, 'cash-flow', 'Is my emergency fund enough? How many months does it cover?', E.emergencyMonths),

  // Dormant EPF over 2 lakh, no private investments.
  single('E-epf', DORMANT_EPF, 'epf', 'How much is in my EPF?', E.epfTotal),
  single('E-dormant-count', DORMANT_EPF, 'epf', 'How many of my PF accounts are dormant?', E.dormantCount),
  single('E-dormant-amount', DORMANT_EPF, 'epf', 'How much money is stuck in dormant EPF accounts?', E.dormantAmount),
  single('E-savings', DORMANT_EPF, 'cash-flow', 'What is my savings rate?', E.savingsRate),
  single('E-score', DORMANT_EPF, 'credit', 'What is my credit score?', E.creditScore),
  single('E-rent', DORMANT_EPF, 'spending', 'How much did I spend on rent?', E.spend('rent')),
  single('E-cash-share', DORMANT_EPF, 'allocation', 'What share of my assets is in cash?', E.bucketShare('cash')),

  // Nearly empty: a savings balance only.
  single('N-networth', NEARLY_EMPTY, 'net-worth', 'What is my net worth?', E.netWorth),
  single('N-assets', NEARLY_EMPTY, 'net-worth', 'What are my total assets?', E.totalAssets),

  // Salary mostly eaten by EMIs.
  single('M-emi-income', EMIS, 'debt', 'What is my EMI to income ratio?', E.emiToIncome),
  single('M-emi-spend', EMIS, 'spending', 'How much did I spend on EMIs?', E.spend('emi')),
  single('M-debt', EMIS, 'debt', 'What is my total outstanding debt?', E.debtOutstanding),
  single('M-avalanche', EMIS, 'debt', 'How many months until I am debt-free with the avalanche method?', E.avalancheMonths),
  single('M-networth', EMIS, 'net-worth', 'What is my net worth?', E.netWorth),
  single('M-util', EMIS, 'credit', 'What is my credit card utilisation?', E.utilisation),
  single('M-income', EMIS, 'cash-flow', 'What is my monthly income?', E.monthlyIncome),

  // Others: a few figures each.
  single('C-epf', NO_CREDIT, 'epf', 'What is my total EPF balance across my UANs?', E.epfTotal),
  single('C-upi', NO_CREDIT, 'spending', 'How much did I spend on UPI?', E.spend('upi_spend')),
  single('C-hybrid', NO_CREDIT, 'allocation', 'What share of my portfolio is hybrid?', E.bucketShare('hybrid')),
  single('F-debt-share', FIXED_INCOME, 'allocation', 'What share of my assets is in debt?', E.bucketShare('debt')),
  single('F-xirr', FIXED_INCOME, 'returns', 'What are my returns? What is my XIRR?', E.portfolioXirr),
  single('F-emergency', FIXED_INCOME, 'cash-flow', 'How many months of expenses does my emergency fund cover?', E.emergencyMonths),
  single('B-networth', NO_BANK, 'net-worth', 'What is my net worth?', E.netWorth),
  single('B-xirr', NO_BANK, 'returns', 'How are my mutual funds performing? What is my XIRR?', E.portfolioXirr),
  single('S-xirr', SIP_INVESTOR, 'returns', 'What is my XIRR?', E.portfolioXirr),
  single('S-score', SIP_INVESTOR, 'credit', 'What is my credit score?', E.creditScore),
  single('S-rent', SIP_INVESTOR, 'spending', 'How much did I spend on rent?', E.spend('rent')),
  single('S-change', SIP_INVESTOR, 'history', 'Has my net worth gone up since the beginning?', E.netWorthChange('all')),
  single('H-networth', HIGH_EARNER, 'net-worth', 'What is my net worth?', E.netWorth),
  single('H-intl', HIGH_EARNER, 'allocation', 'How much of my portfolio is international? What share?', E.bucketShare('international')),
  single('H-cardbills', HIGH_EARNER, 'spending', 'How much did I spend on credit card bills?', E.spend('card_payment')),

  // Follow-ups: the second question leans on the first.
  conversation('FU-networth-score', LARGEST, 'net-worth', ask('What is my net worth?', E.netWorth), ask('and my credit score?', E.creditScore)),
  conversation('FU-networth-epf', LARGEST, 'net-worth', ask('What is my net worth?', E.netWorth), ask('what about EPF?', E.epfTotal)),
  conversation('FU-rent-upi', LARGEST, 'spending', ask('How much did I spend on rent?', E.spend('rent')), ask('and on UPI?', E.spend('upi_spend'))),
  conversation('FU-xirr-equity', LARGEST, 'returns', ask('What is my portfolio XIRR?', E.portfolioXirr), ask('and what share of my assets is equity?', E.bucketShare('equity'))),
  conversation('FU-savings-emergency', LARGEST, 'cash-flow', ask('What is my savings rate?', E.savingsRate), ask('and my emergency fund?', E.emergencyMonths)),
  conversation('FU-score-util', DEBT_HEAVY, 'credit', ask('What is my credit score?', E.creditScore), ask('and my card utilisation?', E.utilisation)),
  conversation('FU-networth-change', DEBT_HEAVY, 'net-worth', ask('What is my net worth?', E.netWorth), ask('how did it change over the last month?', E.netWorthChange('1m'))),
  conversation('FU-epf-dormant', DORMANT_EPF, 'epf', ask('How much is in my EPF?', E.epfTotal), ask('how much of that is dormant?', E.dormantAmount)),
  conversation('FU-debt-payoff', EMIS, 'debt', ask('What is my total outstanding debt?', E.debtOutstanding), ask('and how long until it is paid off with the avalanche method?', E.avalancheMonths)),
  conversation('FU-empty-score', NEARLY_EMPTY, 'net-worth', ask('What is my net worth?', E.netWorth), ask('and my credit score?', notAvailable('no credit report is connected'))),

  // The data cannot answer these: a refusal with no figures is right.
  single('U-sensex', LARGEST, 'unanswerable', 'Will the Sensex go up next month?', refusal('market prediction')),
  single('U-wife', LARGEST, 'unanswerable', "What is my wife's salary?", refusal("another person's finances")),
  single('U-jewellery', LARGEST, 'unanswerable', 'How much is my gold jewellery at home worth?', refusal('Fi does not hold physical gold')),
  single('U-tax', LARGEST, 'unanswerable', 'How much tax will I pay next year?', refusal('a future tax liability')),
  single('U-stock-tip', SIP_INVESTOR, 'unanswerable', 'Which stock should I buy now?', refusal('a stock tip')),
  single('U-neighbour', DORMANT_EPF, 'unanswerable', 'How much does my neighbour earn?', refusal("another person's finances")),
  single('U-celebrity', HIGH_EARNER, 'unanswerable', "What is Mukesh Ambani's net worth?", refusal("another person's finances")),
  single('U-gold-price', LARGEST, 'unanswerable', 'What will gold prices be in December?', refusal('market prediction')),
  single('U-cash-home', DEBT_HEAVY, 'unanswerable', 'How much cash do I keep at home?', refusal('Fi does not hold cash at home')),
  single('U-father', EMIS, 'unanswerable', "What is my father's EPF balance?", refusal("another person's finances")),
  single('U-car', LARGEST, 'unanswerable', 'How much is my car worth today?', refusal('Fi does not value vehicles')),
  single('U-rates', FIXED_INCOME, 'unanswerable', 'Will interest rates fall next year?', refusal('market prediction')),
  single('U-salary-next', LARGEST, 'unanswerable', 'What will my salary be next year?', refusal('a future salary')),
  single('U-house', NO_CREDIT, 'unanswerable', 'What is the market value of my house?', refusal('Fi does not value property')),

  // The persona's data lacks these: "not available" with no figures is right.
  single('X-score-3333', NO_CREDIT, 'missing-data', 'What is my credit score?', notAvailable('no credit report')),
  single('X-score-4444', SCHEMA_ONLY_CREDIT, 'missing-data', 'What is my credit score?', notAvailable('the credit report file holds only a schema')),
  single('X-epf-1111', NEARLY_EMPTY, 'missing-data', 'What is my EPF balance?', notAvailable('EPF not connected')),
  single('X-spend-1111', NEARLY_EMPTY, 'missing-data', 'How much do I spend on average?', notAvailable('no bank transactions')),
  single('X-xirr-9000000010', DORMANT_EPF, 'missing-data', 'What is my XIRR?', notAvailable('no mutual funds')),
  single('X-epf-8888', FIXED_INCOME, 'missing-data', 'What is my EPF balance?', notAvailable('EPF not connected')),
  single('X-savings-5555', NO_BANK, 'missing-data', 'What is my savings rate?', notAvailable('no bank account')),
];

