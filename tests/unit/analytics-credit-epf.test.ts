import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditAnalytics, monthsBetween, readPaymentHistory, utilisationStatus, type CreditAnalytics } from '../../shared/domain/analytics/credit.js';
import { epfAnalytics, type EpfAnalytics } from '../../shared/domain/analytics/epf-summary.js';
import type { AnalyticsInput } from '../../shared/domain/analytics/input.js';
import type { CreditAccount, CreditReportSummary, EpfAccount, EpfResult, EpfUanSummary, Transaction } from '../../shared/domain/fi/types.js';
import { PERSONA_DATE, PERSONAS, personaInput, rawPersona } from '../support/persona-data.js';

// ---------------------------------------------------------------------------------------
// Builders

let seq = 0;
const aCard = (o: Partial<CreditAccount> = {}): CreditAccount => ({
  id: `c${++seq}`,
  lender: 'DEMO BANK',
  kind: 'credit_card',
  accountTypeCode: '10',
  portfolioType: 'R',
  open: true,
  statusCode: '11',
  openedOn: '2020-01-14',
  creditLimitPaise: 10_000_000,
  currentBalancePaise: 0,
  pastDuePaise: 0,
  paymentRating: '0',
  paymentHistory: '000000',
  ...o,
});

const aLoan = (o: Partial<CreditAccount> = {}): CreditAccount => ({
  id: `l${++seq}`,
  lender: 'QUICKRUPEE FINANCE LTD',
  kind: 'loan',
  loanType: 'personal_loan',
  accountTypeCode: '05',
  portfolioType: 'I',
  open: true,
  statusCode: '11',
  openedOn: '2024-09-16',
  sanctionedPaise: 40_000_000,
  currentBalancePaise: 28_845_000,
  pastDuePaise: 0,
  rateOfInterest: 22.5,
  repaymentTenureMonths: 36,
  paymentRating: '0',
  paymentHistory: '0000',
  ...o,
});

const aReport = (accounts: CreditAccount[], o: Partial<CreditReportSummary> = {}): CreditReportSummary => ({
  vendor: 'EXPERIAN',
  reportDate: '2026-11-20',
  score: 742,
  scoreConfidence: 'H',
  accounts,
  enquiries: { last7Days: 0, last30Days: 1, last90Days: 3, last180Days: 4 },
  totals: { openAccounts: 0, openBalancePaise: 0, pastDuePaise: 0, openCardLimitPaise: 0, openCardBalancePaise: 0 },
  ...o,
});

const anEmiRow = (date: string, rupees: number, narration: string, type: Transaction['type'] = 'INSTALLMENT'): Transaction => ({
  id: `t${++seq}`,
  kind: 'bank',
  accountKey: 'Demo Bank',
  date,
  direction: 'debit',
  type,
  amountPaise: rupees * 100,
  currency: 'INR',
  mode: 'ACH',
  narration,
});

const anInput = (o: Partial<AnalyticsInput> = {}): AnalyticsInput => ({ asOf: '2026-11-20', accounts: [], holdings: [], netWorth: null, transactions: [], creditReport: null, epf: null, ...o });

function credit(result: CreditAnalytics): Extract<CreditAnalytics, { available: true }> {
  if (!result.available) throw new Error('expected a credit section');
  return result;
}

function epf(result: EpfAnalytics): Extract<EpfAnalytics, { available: true }> {
  if (!result.available) throw new Error(`expected an EPF section, got ${result.reason}`);
  return result;
}

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
const round2 = (x: number): number => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------
// Credit: hand-built cases

describe('credit: score band and confidence', () => {
  // The band edges of SCORE_BANDS (Experian's published FICO-style bands, top stretched to 900).
  it.each([
    [300, 'poor'],
    [579, 'poor'],
    [580, 'fair'],
    [669, 'fair'],
    [670, 'good'],
    [739, 'good'],
    [740, 'very_good'],
    [799, 'very_good'],
    [800, 'excellent'],
    [900, 'excellent'],
  ])('%d is %s', (score, band) => {
    const c = credit(creditAnalytics(anInput({ creditReport: aReport([], { score }) })));
    expect(c.score.band).toBe(band);
    expect(c.score.meetsCommonLenderThreshold).toBe(score >= 750);
  });

  it.each([
    ['H', 'high'],
    ['M', 'medium'],
    ['L', 'low'],
    ['Q', 'unknown'],
  ])('confidence %s is %s', (code, confidence) => {
    expect(credit(creditAnalytics(anInput({ creditReport: aReport([], { scoreConfidence: code }) }))).score).toMatchObject({ confidence, confidenceCode: code });
  });

  it('a report without a score says why', () => {
    const c = credit(creditAnalytics(anInput({ creditReport: aReport([], { score: undefined, scoreConfidence: undefined }) })));
    expect(c.score).toMatchObject({ value: null, band: null, meetsCommonLenderThreshold: null, confidence: 'unknown', confidenceCode: null });
    expect(c.score.reason).toMatch(/no score/);
  });

  it('no credit report is an explicit unavailable result', () => {
    expect(creditAnalytics(anInput())).toEqual({ available: false, asOf: '2026-11-20', sources: ['fetch_credit_report'], reason: 'no-credit-report', message: 'No credit report is connected.' });
  });
});

describe('credit: utilisation', () => {
  it('per open card and overall, cards without a limit and closed cards left out of the overall', () => {
    const report = aReport([
      aCard({ id: 'half', currentBalancePaise: 5_000_000, creditLimitPaise: 10_000_000 }),
      aCard({ id: 'low', currentBalancePaise: 1_000_000, creditLimitPaise: 20_000_000 }),
      aCard({ id: 'nolimit', currentBalancePaise: 700_000, creditLimitPaise: undefined }),
      aCard({ id: 'closed', open: false, statusCode: '13', currentBalancePaise: 9_000_000, creditLimitPaise: 10_000_000 }),
      aLoan(),
    ]);
    const u = credit(creditAnalytics(anInput({ creditReport: report }))).utilisation;
    // 50,000 / 1,00,000 = 50% (fair); 10,000 / 2,00,000 = 5% (good); overall 60,000 / 3,00,000 = 20% (good).
    expect(u.cards.map((c) => [c.accountId, c.utilisationPercent, c.status])).toEqual([
      ['half', 50, 'fair'],
      ['low', 5, 'good'],
      ['nolimit', null, null],
    ]);
    expect(u).toMatchObject({ totalBalancePaise: 6_000_000, totalLimitPaise: 30_000_000, overallPercent: 20, overallStatus: 'good', reason: null });
  });

  it('over the limit (6666666666: 61,880 on a 60,000 limit is 103.13%)', () => {
    const u = credit(creditAnalytics(anInput({ creditReport: aReport([aCard({ currentBalancePaise: 6_188_000, creditLimitPaise: 6_000_000 })]) }))).utilisation;
    expect(u.cards[0]).toMatchObject({ utilisationPercent: 103.13, status: 'over_limit' });
  });

  it.each([
    [0, 'good'],
    [30, 'good'],
    [30.01, 'fair'],
    [50, 'fair'],
    [50.01, 'high'],
    [100, 'high'],
    [100.01, 'over_limit'],
  ])('utilisation %s percent is %s', (percent, status) => {
    expect(utilisationStatus(percent)).toBe(status);
  });

  it('no open card: overall null with a reason', () => {
    const u = credit(creditAnalytics(anInput({ creditReport: aReport([aLoan()]) }))).utilisation;
    expect(u).toMatchObject({ cards: [], overallPercent: null, overallStatus: null, reason: 'No open credit card.' });
  });
});

describe('credit: payment history', () => {
  // Counted by hand, index 0 = most recent month. Letters are Experian India's asset
  // classification (S standard, M special mention, B substandard, D doubtful, L loss); N and
  // X carry no information.
  const none = { nonPerformingMonths: 0, specialMentionMonths: 0 };
  it.each([
    ['all on time', '000000000000', { monthsReported: 12, lateMonths: 0, worstDelayMonths: 0, mostRecentLateMonthIndex: null, lateMonthsLast12: 0, ...none }],
    // 6666666666's settled loan: late 1..6 at indexes 4..9, then two Standard months.
    ['escalating delays; the two oldest months Standard', '0000123456SS', { monthsReported: 12, lateMonths: 6, worstDelayMonths: 6, mostRecentLateMonthIndex: 4, lateMonthsLast12: 6, ...none }],
    // 6666666666's Indus card: late at 0,1,3,10,11,13,14(2),15,16,17.
    ['a card often late', '110100000011012111000000', { monthsReported: 24, lateMonths: 10, worstDelayMonths: 2, mostRecentLateMonthIndex: 0, lateMonthsLast12: 5, ...none }],
    ['unknown months count for nothing', 'XX?N0', { monthsReported: 5, lateMonths: 0, worstDelayMonths: 0, mostRecentLateMonthIndex: null, lateMonthsLast12: 0, ...none }],
    ['S is Standard: neither late nor settled', 'SSSS', { monthsReported: 4, lateMonths: 0, worstDelayMonths: 0, mostRecentLateMonthIndex: null, lateMonthsLast12: 0, ...none }],
    ['M special mention; B, D and L non-performing', 'SMBDL0', { monthsReported: 6, lateMonths: 0, worstDelayMonths: 0, mostRecentLateMonthIndex: null, lateMonthsLast12: 0, nonPerformingMonths: 3, specialMentionMonths: 1 }],
    ['empty', '', { monthsReported: 0, lateMonths: 0, worstDelayMonths: 0, mostRecentLateMonthIndex: null, lateMonthsLast12: 0, ...none }],
  ])('%s', (_label, history, expected) => {
    expect(readPaymentHistory(history)).toEqual(expected);
  });

  it('aggregates over accounts; defaults come from settled/written-off status codes, or a non-performing classification in the history', () => {
    const c = credit(
      creditAnalytics(
        anInput({
          creditReport: aReport(
            [
              aCard({ id: 'late', paymentHistory: '0100' }),
              aLoan({ id: 'settled', open: false, statusCode: '71', paymentRating: 'S', paymentHistory: '0000123456SS' }),
              // A Standard rating and history on a closed account is no default.
              aLoan({ id: 'standard', lender: 'PAISAFAST NBFC LTD', open: false, statusCode: '13', paymentRating: 'S', paymentHistory: 'SSS' }),
              // A doubtful asset (D) is a default even while the account is open.
              aLoan({ id: 'doubtful', lender: 'KAVERI BANK', open: true, statusCode: '11', paymentRating: 'D', paymentHistory: 'DDB0' }),
            ],
            { totals: { openAccounts: 2, openBalancePaise: 0, pastDuePaise: 0, openCardLimitPaise: 0, openCardBalancePaise: 0, accountsDefault: 1 } },
          ),
        }),
      ),
    );
    expect(c.paymentHistory).toMatchObject({ accountsWithLatePayments: 2, totalLateMonths: 7, worstDelayMonths: 6, mostRecentLateMonthIndex: 1, lateMonthsLast12: 7, accountsNonPerforming: 1, nonPerformingMonths: 3 });
    expect(c.paymentHistory.accounts.find((a) => a.accountId === 'standard')).toMatchObject({ lateMonths: 0, nonPerformingInHistory: false });
    expect(c.defaults).toEqual({
      accounts: [
        { accountId: 'settled', lender: 'QUICKRUPEE FINANCE LTD', kind: 'loan', statusCode: '71', evidence: 'status' },
        { accountId: 'doubtful', lender: 'KAVERI BANK', kind: 'loan', statusCode: '11', evidence: 'history' },
      ],
      experianDefaultCount: 1,
    });
    expect(c.accounts).toEqual({ total: 4, open: 2, closed: 2 });
  });
});

describe('credit: account age', () => {
  it.each([
    ['2020-01-14', '2026-11-20', 82],
    ['2026-10-20', '2026-11-20', 1],
    ['2026-10-21', '2026-11-20', 0],
    ['2024-02-29', '2025-02-28', 11],
    ['2026-11-21', '2026-11-20', null],
    ['20-01-2020', '2026-11-20', null],
  ])('%s to %s is %s whole months', (from, to, months) => {
    expect(monthsBetween(from, to)).toBe(months);
  });

  it('oldest and average over all accounts, open and closed', () => {
    const c = credit(creditAnalytics(anInput({ creditReport: aReport([aCard({ openedOn: '2020-01-14' }), aLoan({ openedOn: '2024-09-16', open: false, statusCode: '13' }), aCard({ openedOn: undefined })]) })));
    // 82 and 26 months: average 54.
    expect(c.age).toMatchObject({ oldestAccountMonths: 82, averageAccountAgeMonths: 54 });
  });
});

describe('credit: active loans and EMIs from the bank data', () => {
  const loanRows = [
    anEmiRow('2026-10-04', 18744, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213'),
    anEmiRow('2026-11-04', 18744, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213'),
    anEmiRow('2026-11-05', 5000, 'ACH D- KAVERI MF-SIP 12345', 'DEBIT'),
  ];

  it('a loan takes the latest instalment that names its lender', () => {
    const c = credit(creditAnalytics(anInput({ transactions: loanRows, creditReport: aReport([aLoan({ id: 'pl' })]) })));
    expect(c.loans).toEqual([
      {
        accountId: 'pl',
        lender: 'QUICKRUPEE FINANCE LTD',
        loanType: 'personal_loan',
        accountTypeCode: '05',
        ratePercent: 22.5,
        outstandingPaise: 28_845_000,
        sanctionedPaise: 40_000_000,
        pastDuePaise: 0,
        tenureMonths: 36,
        openedOn: '2024-09-16',
        ageMonths: 26,
        emiPaise: 1_874_400,
        emiSource: 'bank_transactions',
        emiReason: null,
      },
    ]);
    expect(c.sources).toEqual(['fetch_credit_report', 'fetch_bank_transactions']);
  });

  it.each<[string, CreditAccount[], RegExp]>([
    ['two active loans from one lender', [aLoan({ lender: 'KAVERI BANK' }), aLoan({ lender: 'KAVERI BANK', loanType: 'housing_loan' })], /Several active loans/],
    ['a lender name with only generic words', [aLoan({ lender: 'THE BANK LTD' })], /no distinctive word/],
    ['a lender with no instalment (a SIP mentioning it does not count)', [aLoan({ lender: 'KAVERI BANK' })], /No instalment to this lender/],
  ])('no EMI for %s', (_label, loans, reason) => {
    const c = credit(creditAnalytics(anInput({ transactions: loanRows, creditReport: aReport(loans) })));
    for (const loan of c.loans) {
      expect(loan.emiPaise).toBeNull();
      expect(loan.emiReason).toMatch(reason);
    }
  });

  it.each([
    ['two same-day candidates: the amount seen most often wins', [anEmiRow('2026-10-04', 18744, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213'), anEmiRow('2026-11-04', 5000, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213'), anEmiRow('2026-11-04', 18744, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213')], 1_874_400],
    ['two same-day candidates seen equally often: the smaller', [anEmiRow('2026-11-04', 20000, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213'), anEmiRow('2026-11-04', 18744, 'ACH D- QUICKRUPEE FINANCE PL EMI 88213')], 1_874_400],
  ])('%s, whatever the order', (_label, rows, emi) => {
    for (const order of [rows, [...rows].reverse()]) {
      expect(credit(creditAnalytics(anInput({ transactions: order, creditReport: aReport([aLoan({ id: 'pl' })]) }))).loans[0]?.emiPaise).toBe(emi);
    }
  });

  it('a mandate to the lender without the word EMI is its instalment', () => {
    const rows = [anEmiRow('2026-11-04', 18744, 'ACH D- QUICKRUPEE-88213', 'DEBIT')];
    expect(credit(creditAnalytics(anInput({ transactions: rows, creditReport: aReport([aLoan({ id: 'pl' })]) }))).loans[0]).toMatchObject({ emiPaise: 1_874_400, emiSource: 'bank_transactions' });
  });

  it('cards and closed loans are not active loans', () => {
    const c = credit(creditAnalytics(anInput({ creditReport: aReport([aCard(), aLoan({ open: false, statusCode: '13' })]) })));
    expect(c.loans).toEqual([]);
    expect(c.sources).toEqual(['fetch_credit_report']);
  });

  it('passes the enquiry counts through, null when absent', () => {
    expect(credit(creditAnalytics(anInput({ creditReport: aReport([]) }))).enquiries).toEqual({ last7Days: 0, last30Days: 1, last90Days: 3, last180Days: 4 });
    expect(credit(creditAnalytics(anInput({ creditReport: aReport([], { enquiries: undefined }) }))).enquiries).toEqual({ last7Days: null, last30Days: null, last90Days: null, last180Days: null });
  });
});

describe('credit: properties', () => {
  it('never throws on odd accounts and always answers plain JSON', () => {
    const odd = fc.record({
      id: fc.string(),
      lender: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constant(undefined)),
      kind: fc.constantFrom('credit_card', 'loan', 'other'),
      open: fc.boolean(),
      statusCode: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
      openedOn: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      creditLimitPaise: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
      currentBalancePaise: fc.oneof(fc.integer(), fc.double()),
      pastDuePaise: fc.oneof(fc.integer(), fc.double()),
      rateOfInterest: fc.option(fc.double(), { nil: undefined }),
      paymentHistory: fc.option(fc.string({ unit: 'binary', maxLength: 200 }), { nil: undefined }),
      paymentRating: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(odd, { maxLength: 12 }), fc.option(fc.integer(), { nil: undefined }), (accounts, score) => {
        const r = creditAnalytics(anInput({ creditReport: aReport(accounts as unknown as CreditAccount[], { score }) }));
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
        if (!r.available) return;
        for (const card of r.utilisation.cards) expect(card.lender === null || Array.from(card.lender).length <= 40).toBe(true);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// EPF: hand-built cases

const anEst = (o: Partial<EpfAccount> = {}): EpfAccount => ({
  id: `e${++seq}`,
  memberId: 'XX0001',
  establishment: 'DEMO SOFTWARE PVT LTD',
  joinedOn: '2019-04-01',
  employeeSharePaise: 7_500_000,
  employerSharePaise: 2_500_000,
  balancePaise: 10_000_000,
  dormant: false,
  uanIndex: 0,
  ...o,
});
const aUan = (establishments: number, o: Partial<EpfUanSummary> = {}): EpfUanSummary => ({ establishments, ...o });
const anEpf = (accounts: EpfAccount[], uans: EpfUanSummary[]): EpfResult => ({ accounts, uans, totalBalancePaise: sum(accounts.map((a) => a.balancePaise)), skipped: [] });

describe('EPF', () => {
  it('balances, shares, dormant accounts and per-UAN totals by hand', () => {
    const result = epf(
      epfAnalytics(
        anInput({
          epf: anEpf(
            [
              anEst({ id: 'now', balancePaise: 30_000_000, employeeSharePaise: 22_500_000, employerSharePaise: 7_500_000 }),
              anEst({ id: 'left', exitedOn: '2021-12-31', balancePaise: 20_000_000, employeeSharePaise: 15_000_000, employerSharePaise: 5_000_000 }),
              anEst({ id: 'empty', exitedOn: '2018-03-31', balancePaise: 0, employeeSharePaise: 0, employerSharePaise: 0 }),
              anEst({ id: 'other-uan', exitedOn: '2019-02-28', balancePaise: 10_000_000, uanIndex: 1 }),
            ],
            [aUan(3, { pensionPaise: 16_100_000, currentPfBalancePaise: 50_000_000 }), aUan(1, { pensionPaise: 5_230_000 })],
          ),
        }),
      ),
    );
    // 3,00,000 + 2,00,000 + 0 + 1,00,000 = 6,00,000; employee 4,50,000 (75%), employer 1,50,000 (25%).
    expect(result).toMatchObject({ totalBalancePaise: 60_000_000, employeeSharePaise: 45_000_000, employerSharePaise: 15_000_000, employeeSharePercent: 75, employerSharePercent: 25, pensionPaise: 21_330_000, multipleUans: true });
    expect(result.establishments.map((e) => [e.accountId, e.uanIndex, e.current, e.dormant, e.monthsSinceExit])).toEqual([
      ['now', 0, true, false, null],
      ['left', 0, false, true, 58],
      ['other-uan', 1, false, true, 92],
      ['empty', 0, false, false, 103],
    ]);
    // Dormant: 2,00,000 + 1,00,000 = 3,00,000 = 50% of the total.
    expect(result.dormant).toMatchObject({ count: 2, balancePaise: 30_000_000, sharePercent: 50, accountIds: ['left', 'other-uan'] });
    expect(result.current).toEqual({ count: 1, balancePaise: 30_000_000 });
    expect(result.uans).toEqual([
      { index: 0, uan: null, establishments: 3, balancePaise: 50_000_000, employeeSharePaise: 37_500_000, employerSharePaise: 12_500_000, fiCurrentPfBalancePaise: 50_000_000, pensionPaise: 16_100_000 },
      { index: 1, uan: null, establishments: 1, balancePaise: 10_000_000, employeeSharePaise: 7_500_000, employerSharePaise: 2_500_000, fiCurrentPfBalancePaise: null, pensionPaise: 5_230_000 },
    ]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('an exit dated after asOf is still the current employer', () => {
    const e = epf(epfAnalytics(anInput({ epf: anEpf([anEst({ exitedOn: '2026-12-31' })], [aUan(1)]) }))).establishments[0];
    expect(e).toMatchObject({ current: true, dormant: false, monthsSinceExit: null });
  });

  it('attributes by the recorded UAN position, whatever order the store returns the accounts in', () => {
    const accounts = [anEst({ id: 'a', balancePaise: 100, uanIndex: 1 }), anEst({ id: 'b', balancePaise: 20, uanIndex: 0 }), anEst({ id: 'c', balancePaise: 3, uanIndex: 1 })];
    const totals = (list: EpfAccount[]) => epf(epfAnalytics(anInput({ epf: anEpf(list, [aUan(1), aUan(2)]) }))).uans.map((u) => [u.establishments, u.balancePaise]);
    expect(totals(accounts)).toEqual([[1, 20], [2, 103]]);
    expect(totals([...accounts].reverse())).toEqual([[1, 20], [2, 103]]);
  });

  it('does not attribute establishments to UANs when an account names no UAN summary', () => {
    const r = epf(epfAnalytics(anInput({ epf: anEpf([anEst(), anEst({ uanIndex: 3 })], [aUan(1, { currentPfBalancePaise: 5 })]) })));
    expect(r.establishments.map((e) => e.uanIndex)).toEqual([0, null]);
    expect(r.uans[0]).toMatchObject({ establishments: 1, balancePaise: null, fiCurrentPfBalancePaise: 5 });
  });

  it('takes the pension from the establishments when the UANs give none, else null', () => {
    expect(epf(epfAnalytics(anInput({ epf: anEpf([anEst({ pensionPaise: 100 }), anEst({ pensionPaise: 50 })], [aUan(2)]) }))).pensionPaise).toBe(150);
    expect(epf(epfAnalytics(anInput({ epf: anEpf([anEst()], [aUan(1)]) }))).pensionPaise).toBeNull();
  });

  it('zero shares give null percentages', () => {
    const r = epf(epfAnalytics(anInput({ epf: anEpf([anEst({ balancePaise: 0, employeeSharePaise: 0, employerSharePaise: 0 })], [aUan(1)]) })));
    expect(r).toMatchObject({ employeeSharePercent: null, employerSharePercent: null, dormant: { sharePercent: null } });
  });

  it('no EPF, or EPF without establishments, is an explicit unavailable result', () => {
    expect(epfAnalytics(anInput())).toMatchObject({ available: false, reason: 'no-epf', sources: ['fetch_epf_details'] });
    expect(epfAnalytics(anInput({ epf: anEpf([], []) }))).toMatchObject({ available: false, reason: 'no-epf-accounts' });
  });

  it('never throws on odd establishments and always answers plain JSON (property)', () => {
    const odd = fc.record({
      id: fc.string(),
      establishment: fc.anything(),
      uan: fc.option(fc.string(), { nil: undefined }),
      joinedOn: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      exitedOn: fc.option(fc.oneof(fc.string({ maxLength: 12 }), fc.constant('2020-02-29')), { nil: undefined }),
      employeeSharePaise: fc.oneof(fc.integer(), fc.double()),
      employerSharePaise: fc.oneof(fc.integer(), fc.double()),
      pensionPaise: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
      balancePaise: fc.oneof(fc.integer(), fc.double(), fc.constant(-0)),
    });
    const oddUan = fc.record({ establishments: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.double()), pensionPaise: fc.option(fc.integer(), { nil: undefined }), currentPfBalancePaise: fc.option(fc.integer(), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(odd, { maxLength: 8 }), fc.array(oddUan, { maxLength: 3 }), (accounts, uans) => {
        const r = epfAnalytics(anInput({ epf: { accounts, uans, totalBalancePaise: 0, skipped: [] } as unknown as EpfResult }));
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
        if (!r.available) return;
        expect(r.totalBalancePaise).toBe(sum(r.establishments.map((e) => e.balancePaise)));
        expect(r.dormant.balancePaise + r.current.balancePaise + sum(r.establishments.filter((e) => !e.current && !e.dormant).map((e) => e.balancePaise))).toBe(r.totalBalancePaise);
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('establishment names are cleaned labels', () => {
    const r = epf(epfAnalytics(anInput({ epf: anEpf([anEst({ establishment: 'SAFFRON PVT LTD ![logo](https://evil.example/e.png?uan=) <b>x</b>' })], [aUan(1)]) })));
    expect(r.establishments[0]?.establishment).toBe('SAFFRON PVT LTD x');
  });
});

// ---------------------------------------------------------------------------------------
// Every persona, against expectations derived from its raw JSON by hand

/** Whole rupees as the credit report and EPF write them (strings) to paise. */
const rupees = (text: unknown): number => (text === undefined || text === null || text === '' ? 0 : Number(String(text)) * 100);
const ymd = (text: string): string => `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
const dmyToIso = (text: string): string | null => (/^\d{2}-\d{2}-\d{4}$/.test(text) ? `${text.slice(6)}-${text.slice(3, 5)}-${text.slice(0, 2)}` : null);
/** Whole months between two ISO dates, counted by hand (calendar months, less one if the day is not reached). */
const wholeMonths = (from: string, to: string): number => {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
};
const BAND = (score: number): string => (score < 580 ? 'poor' : score < 670 ? 'fair' : score < 740 ? 'good' : score < 800 ? 'very_good' : 'excellent');

describe.each(PERSONAS)('persona %s: credit against the raw report', (phone) => {
  const raw = rawPersona(phone, 'fetch_credit_report');
  const reports: any[] = Array.isArray(raw?.creditReports) ? raw.creditReports : [];
  const result = creditAnalytics(personaInput(phone));

  if (reports.length === 0) {
    it('has no credit report (missing or schema-only), so the section says unavailable', () => {
      expect(result).toMatchObject({ available: false, reason: 'no-credit-report' });
    });
    return;
  }

  const data = [...reports].sort((a, b) => String(b.creditReportData.creditProfileHeader.reportDate).localeCompare(String(a.creditReportData.creditProfileHeader.reportDate)))[0].creditReportData;
  const rows: any[] = data.creditAccount?.creditAccountDetails ?? [];
  const c = credit(result);

  it('score, band and confidence', () => {
    const score = Number(data.score.bureauScore);
    expect(c.score).toMatchObject({ value: score, band: BAND(score), confidenceCode: data.score.bureauScoreConfidenceLevel });
    expect(c.reportDate).toBe(ymd(data.creditProfileHeader.reportDate));
    expect(c.reportAgeDays).toBe(0);
  });

  it('utilisation of every open card and overall, from the raw strings', () => {
    const cards = rows.filter((r) => r.accountType === '10' && r.accountStatus === '11');
    expect(c.utilisation.cards.map((x) => x.utilisationPercent)).toEqual(cards.map((r) => round2((Number(r.currentBalance) / Number(r.creditLimitAmount)) * 100)));
    const balance = sum(cards.map((r) => Number(r.currentBalance)));
    const limit = sum(cards.map((r) => Number(r.creditLimitAmount)));
    expect(c.utilisation.overallPercent).toBe(limit > 0 ? round2((balance / limit) * 100) : null);
  });

  it('late months per account from paymentHistoryProfile', () => {
    const late = rows.map((r) => Array.from(String(r.paymentHistoryProfile ?? '')).filter((ch) => ch >= '1' && ch <= '9').length);
    expect(c.paymentHistory.accounts.map((a) => a.lateMonths)).toEqual(late);
    expect(c.paymentHistory.totalLateMonths).toBe(sum(late));
    expect(c.paymentHistory.accountsWithLatePayments).toBe(late.filter((n) => n > 0).length);
  });

  it('accounts, defaults and enquiries match Experian’s own summary', () => {
    const summary = data.creditAccount.creditAccountSummary.account;
    expect(c.accounts).toEqual({ total: Number(summary.creditAccountTotal), open: Number(summary.creditAccountActive), closed: Number(summary.creditAccountClosed) });
    expect(c.defaults.accounts.length).toBe(Number(summary.creditAccountDefault));
    const caps = data.totalCapsSummary;
    expect(c.enquiries).toEqual({ last7Days: Number(caps.totalCapsLast7Days), last30Days: Number(caps.totalCapsLast30Days), last90Days: Number(caps.totalCapsLast90Days), last180Days: Number(caps.totalCapsLast180Days) });
  });

  it('oldest account age from the raw open dates', () => {
    expect(c.age.oldestAccountMonths).toBe(Math.max(...rows.map((r) => wholeMonths(ymd(r.openDate), PERSONA_DATE))));
  });

  it('active loans with their outstanding balance and rate', () => {
    const loans = rows.filter((r) => r.accountType !== '10' && r.accountStatus === '11');
    expect(c.loans.map((l) => [l.outstandingPaise, l.ratePercent])).toEqual(loans.map((r) => [rupees(r.currentBalance), Number(r.rateOfInterest)]));
    const outstanding = data.creditAccount.creditAccountSummary.totalOutstandingBalance.outstandingBalanceAll;
    expect(c.totals.openBalancePaise).toBe(rupees(outstanding));
  });

  it('the EMIs found equal the loan instalments in the latest month of the raw bank rows', () => {
    const bank = rawPersona(phone, 'fetch_bank_transactions');
    const instalments = (Array.isArray(bank?.bankTransactions) ? bank.bankTransactions.flatMap((b: any) => b.txns) : []).filter((r: any) => r[3] === 6 && !/\bRD\b/.test(r[1]));
    const lastMonth = instalments.map((r: any) => String(r[2]).slice(0, 7)).sort().pop();
    const expected = sum(instalments.filter((r: any) => String(r[2]).startsWith(lastMonth ?? '-')).map((r: any) => Number(r[0]) * 100));
    expect(sum(c.loans.map((l) => l.emiPaise ?? 0))).toBe(expected);
  });

  it('lender names are capped labels', () => {
    for (const a of c.paymentHistory.accounts) expect(a.lender === null || Array.from(a.lender).length <= 40).toBe(true);
  });
});

describe.each(PERSONAS)('persona %s: EPF against the raw passbook', (phone) => {
  const raw = rawPersona(phone, 'fetch_epf_details');
  const uans: any[] = Array.isArray(raw?.uanAccounts) ? raw.uanAccounts : [];
  const result = epfAnalytics(personaInput(phone));

  if (uans.length === 0) {
    it('has no EPF (missing or schema-only), so the section says unavailable', () => {
      expect(result).toMatchObject({ available: false, reason: 'no-epf' });
    });
    return;
  }

  const e = epf(result);
  const ests = uans.flatMap((u) => u.rawDetails.est_details as any[]);
  const share = (s: any): number => rupees(s?.balance ?? s?.credit);

  it('total, employee and employer shares, pension', () => {
    expect(e.totalBalancePaise).toBe(sum(ests.map((x) => rupees(x.pf_balance.net_balance))));
    expect(e.employeeSharePaise).toBe(sum(ests.map((x) => share(x.pf_balance.employee_share))));
    expect(e.employerSharePaise).toBe(sum(ests.map((x) => share(x.pf_balance.employer_share))));
    expect(e.pensionPaise).toBe(sum(uans.map((u) => rupees(u.rawDetails.overall_pf_balance.pension_balance))));
  });

  it('dormant establishments: left (doe_epf is a date) with money still there', () => {
    const dormant = ests.filter((x) => dmyToIso(x.doe_epf) !== null && rupees(x.pf_balance.net_balance) > 0);
    expect(e.dormant.count).toBe(dormant.length);
    expect(e.dormant.balancePaise).toBe(sum(dormant.map((x) => rupees(x.pf_balance.net_balance))));
  });

  it('one total per UAN, equal to its current_pf_balance', () => {
    expect(e.uans.map((u) => u.balancePaise)).toEqual(uans.map((u) => sum((u.rawDetails.est_details as any[]).map((x) => rupees(x.pf_balance.net_balance)))));
    expect(e.uans.map((u) => u.balancePaise)).toEqual(uans.map((u) => rupees(u.rawDetails.overall_pf_balance.current_pf_balance)));
    expect(e.multipleUans).toBe(uans.length > 1);
  });
});

describe('persona facts from the README', () => {
  it('6666666666: score 612 (fair, medium confidence), a settled loan, cards near or over the limit', () => {
    const c = credit(creditAnalytics(personaInput('6666666666')));
    expect(c.score).toMatchObject({ value: 612, band: 'fair', confidence: 'medium' });
    expect(c.defaults.accounts).toHaveLength(1);
    // Settled by its status code "71"; its history's two S months are Standard (asset classification), not settlement.
    expect(c.defaults.accounts[0]).toMatchObject({ statusCode: '71', evidence: 'status' });
    expect(c.utilisation.overallStatus).toBe('over_limit');
    expect(c.loans.map((l) => l.emiPaise)).toEqual([1_874_400, 1_121_900, 348_800]);
  });

  it('9000000013: a thin file with low confidence', () => {
    expect(credit(creditAnalytics(personaInput('9000000013'))).score).toMatchObject({ value: 709, confidence: 'low' });
  });

  it('9999999999: the gold loan has no monthly EMI in the bank data (RD instalments are not loan EMIs)', () => {
    const [gold] = credit(creditAnalytics(personaInput('9999999999'))).loans;
    expect(gold).toMatchObject({ loanType: 'gold_loan', emiPaise: null });
  });

  it('9000000016: the injected lender name is only a capped label', () => {
    const c = credit(creditAnalytics(personaInput('9000000016')));
    expect(c.utilisation.cards[0]?.lender?.length).toBeLessThanOrEqual(40);
    const e = epf(epfAnalytics(personaInput('9000000016')));
    expect(JSON.stringify(e)).not.toMatch(/evil|!\[|\]\(/);
  });

  it('9000000010: both employers left, ₹2,63,750 still parked at the later one', () => {
    const e = epf(epfAnalytics(personaInput('9000000010')));
    expect(e.current.count).toBe(0);
    expect(e.dormant).toMatchObject({ count: 2, sharePercent: 100 });
    expect(e.establishments[0]).toMatchObject({ balancePaise: 26_375_000, dormant: true, exitedOn: '2023-03-15' });
  });

  it('3333333333: two UANs and two left employers', () => {
    const e = epf(epfAnalytics(personaInput('3333333333')));
    expect(e).toMatchObject({ multipleUans: true, dormant: { count: 2 } });
    expect(e.uans.map((u) => u.establishments)).toEqual([2, 1]);
  });

  it('2222222222: one left employer, under ₹2 lakh, still flagged', () => {
    const e = epf(epfAnalytics(personaInput('2222222222')));
    expect(e.dormant.count).toBe(1);
    expect(e.dormant.balancePaise).toBeLessThan(20_000_000);
  });

  it('9000000013: no employer_share_total at the UAN level, yet the employer share comes from the establishment', () => {
    expect(epf(epfAnalytics(personaInput('9000000013'))).employerSharePaise).toBe(535_600);
  });
});
