import { CHAT_TOOLS, type ChatToolName, type ModelInsight } from '../../contracts/ai.js';
import { CATEGORY_WORDS, formatFigure, parseFactsPrompt, unitOfKey, type Fact, type FactValue } from '../../domain/ai/facts.js';
import type { Category } from '../../domain/analytics/cash-flow.js';
import type { Clock } from '../../ports/clock.js';
import type { Llm, LlmFunctionCall, LlmMessage, LlmRequest, LlmResponse, LlmSchema, LlmStreamEvent, LlmToolDeclaration } from '../../ports/llm.js';


/**
 * The deterministic local provider: the `Llm` port without a model, for the local stack and
 * for tests when there are no Gemini credentials. It never touches the network.
 *
 * - With `responseSchema` (insights) it reads the facts block (`factsPrompt`) in the last
 *   user message and writes insights from fixed templates, quoting fact values only
 *   (formatted with `formatFigure`) and citing their ids.
 * - With tools (chat) it maps the user's question to one tool call with keyword rules
 *   (`intentOf`), and once the tool results are back it quotes their `figures` with the
 *   tool's name and the data's age, leaving out null and "unavailable" ones. When the
 *   question names an item (a fund, a lender, an employer), it quotes that item's numbers
 *   first, labelled only by the words its name shares with the question. It never repeats
 *   a tool's `note`, error text or other item text: only figure values (strings among them
 *   only when they are short plain labels).
 *
 * Usage is counted approximately (characters / 4) so that budgets work as with Gemini.
 * Every response says `provider: 'local'`, which callers show to the user.
 */

export const LOCAL_MODEL = 'local-rules-v1';

/** Approximate tokens of a text: one per four characters, rounded up. */
export const approxTokens = (text: string): number => Math.ceil(text.length / 4);

export interface LocalLlmOptions {
  /** Tells how old the data is and what "this month" means (default: the system clock). */
  readonly clock?: Clock;
}

// ---------------------------------------------------------------------------------------
// Intent rules

/** What the local provider does with a user's question. */
export type Intent =
  | { readonly kind: 'call'; readonly name: ChatToolName; readonly args: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'decline';
      /**
       * `outside-data`: markets, other people's finances, stock tips; `not-in-fi`: an asset Fi
       * does not hold (jewellery, a car, a house, cash at home); `future`: the user's own future
       * (salary, bonus, tax) that no simulation computes; `need-details`: a simulation without
       * enough to run; `no-rule`: not understood.
       */
      readonly reason: 'outside-data' | 'not-in-fi' | 'future' | 'need-details' | 'no-rule';
    };

type Args = Record<string, unknown>;

const has = (text: string, re: RegExp): boolean => re.test(text);

/** A question in a form the rules read: lower case, plain apostrophes, single spaces. */
const normalise = (message: string): string =>
  message
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

// Questions the user's own data cannot answer.
const MARKET = /\b(sensex|nifty|stock market|share market|market|markets|gold prices?|(share|stock|fund|property|house) prices?|prices? of|navs?|bitcoin|crypto|repo rate|interest rates|rupee|dollar)\b/;
const PREDICTION = /\b(will|going to|gonna|tomorrow|next (week|month|year)|predict\w*|forecast\w*|outlook|crash\w*|rall(y|ies)|go up|go down|fall\w*|rise|rises|rising|tank\w*|correct(ion|s))\b/;
const TIP = /\b(stock tips?|share tips?|tips? (for|on) (stocks|shares)|which (stock|stocks|share|shares|coin|crypto)s? (should|to|will)|should i (buy|sell) (a |any |the )?(stock|stocks|share|shares|crypto|coin)|best (stock|stocks|share|shares) to|multibagger|recommend (a |some |me )?(stock|stocks|share|shares)|hot stocks?|intraday|f&o|options trading)\b/;

// Other people's finances. A person other than the user (a relative, a friend, "someone
// else", "her") within three words before a money word ("my neighbour earn", "my father's EPF
// balance"), or after one ("the salary of my wife"); a capitalised name's possessive before a
// money word ("Mukesh Ambani's net worth"), or a name doing what earns ("does Mukesh Ambani
// earn"); any other possessive before a personal figure ("ambani's net worth"); "how rich is"
// anyone but the user. Not refused on these grounds: a joint account, loan or holding (the
// user's own, in their Fi data), and the user's own payments to someone ("how much did I send
// to my mother").
const PERSON = "(?:wife|husband|spouse|partner|father|mother|dad|mom|mum|parents?|brother|sister|sibling|son|daughter|kids?|children|friend|friends|colleague|colleagues|boss|manager|neighbou?r|neighbou?rs|cousin|uncle|aunt|relative|relatives|in-laws?|papa|mummy|bhai|behen|didi|someone else|somebody else|someone|somebody|anyone|anybody|everyone|everybody|others|other people|people|his|her)";
const MONEY = "(?:salary|salaries|income|incomes|earn|earns|earned|earning|earnings|ctc|pay ?slip|bonus|net ?worth|worth|wealth|rich|account|accounts|balance|balances|credit score|cibil|spend|spends|spent|spending|portfolio|investments|loan|loans|emis?|debts?|pf|epf|savings|owe|owes|kamai|tankhwah)";
const OTHER_PERSON = new RegExp(`\\b${PERSON}(?:'s|s'|')?(?: [a-z0-9']+){0,3}? ${MONEY}\\b|\\b${MONEY} of (?:my |our |the |a )?${PERSON}\\b`);
const PERSONAL_FIGURE = /^(?: [a-z0-9']+){0,2}? (salary|income|earnings|net ?worth|wealth|credit score|cibil|pf|epf)\b/;
const JOINT = /\bjoint\b/;
/** The user's own payments to someone ("how much did I send to my mother"): their transactions, not the person's finances. */
const TO_SOMEONE = new RegExp(`\\b(to|for|on) (my |our )?${PERSON}`);
const PAID = /\b(spend|spent|sent|send|transfer\w*|paid|pay|gave|give|gift\w*|payments?)\b/;
/** Capitalised words that say nothing about who: sentence starts, pronouns, contractions ("What's"). */
const FILLER = new Set('i my our your what that it there here who where how when why which let he she this these those is was'.split(' '));
/** Capitalised words that are not people: dates, and the user's own accounts and funds ("Kaveri Bank's loan"). */
const NOT_A_PERSON = new Set(
  (
    'last next today tonight yesterday tomorrow day week month year quarter january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday diwali fund funds bank cap plan growth direct index etf card cards loan sip fi mutual finance capital ' +
    'securities insurance account accounts portfolio nps ppf epf epfo amc'
  ).split(' '),
);
const CAPITALISED_NAME = /\b([A-Z][a-z]+(?: [A-Z][a-z]+){0,3})'s\b/g;
const NAME_EARNS = /\b(?:does|did|do|will|would|can|is|was|has) ([A-Z][a-z]+(?: [A-Z][a-z]+){0,3}) (?:earn|earns|make|makes|own|owns|have|has|owe|owes|spend|spends|save|saves|invest|invests|worth)\b/g;
const ANY_POSSESSIVE = /\b([a-z]+)'s\b/g;
/** "How rich is Elon Musk?": anyone's wealth but the user's own ("how rich am I"). */
const HOW_RICH_IS = /\bhow (rich|wealthy) (is|was|are|were) (?!i\b|my\b|me\b|we\b)/;

/** Whether capitalised words name a person: a word that is not filler, and none that is a date or one of the user's own things. */
const personName = (name: string): boolean => {
  const words = name.toLowerCase().split(' ');
  return words.some((w) => !FILLER.has(w)) && !words.some((w) => NOT_A_PERSON.has(w));
};

/** A question about someone else's finances (see above); `original` keeps the user's capitals. */
function aboutSomeoneElse(q: string, original: string): boolean {
  if (has(q, JOINT) || (has(q, TO_SOMEONE) && has(q, PAID))) return false;
  if (has(q, OTHER_PERSON) || has(q, HOW_RICH_IS)) return true;
  const money = new RegExp(`^(?: [a-z0-9']+){0,3}? ${MONEY}\\b`);
  for (const m of original.matchAll(CAPITALISED_NAME)) {
    if (personName(m[1] ?? '') && money.test(original.slice((m.index ?? 0) + m[0].length).toLowerCase())) return true;
  }
  for (const m of original.matchAll(NAME_EARNS)) if (personName(m[1] ?? '')) return true;
  for (const m of q.matchAll(ANY_POSSESSIVE)) {
    const owner = m[1] ?? '';
    if (!FILLER.has(owner) && !NOT_A_PERSON.has(owner) && PERSONAL_FIGURE.test(q.slice((m.index ?? 0) + m[0].length))) return true;
  }
  return false;
}

// Assets Fi does not hold: jewellery and physical gold, things kept at home, and what a car or
// a house is worth. Spending on them, and loans, rent or insurance for them, are in the data.
const PHYSICAL_ASSET = /\b(jewell?ery|jewelry|jewels?|ornaments?|physical gold|gold (coins?|bars?|biscuits?)|gehne|zevar)\b/;
const AT_HOME = /\b(at home|at my (home|house|place)|in (my |the )?(house|locker|wallet|purse|almirah|safe)|under (my |the )?(mattress|bed)|cash in hand)\b/;
const KEPT = /\b(cash|gold|silver|money|keep|kept|stash\w*)\b/;
const VALUED_THING = /\b(car|cars|bike|bikes|scooter|motorcycle|vehicle|vehicles|house|home|flat|apartment|property|properties|plot|land|real estate|villa)\b/;
const VALUE_WORDS = /\b((?<!net )worth|value|valued|valuation|resale|price|sell (it|them) for)\b/;
const OWN_BILLS = /\b(loan|loans|emi|emis|rent|insurance|premium|tax|taxes|interest)\b/;

// The user's own future, when nothing computes it: a future word and a personal figure.
const FUTURE = /\b(will|going to|gonna|next (week|month|year|quarter|financial year|fy)|in (the )?future|coming (months?|years?)|likely|predict\w*|forecast\w*|hoga|hogi|milega|milegi)\b/;
const OWN_FUTURE = /\b(salary|salaries|income|paycheck|pay ?slip|ctc|bonus|bonuses|hike|increment|appraisal|promotion|raise|tax|taxes|refund|net ?worth|credit score|cibil|score|expenses?|spending|spend|job|layoffs?|laid off|fired|inheritance)\b/;
const EXPLICIT_WHAT_IF = /\b(what if|what-if|simulate|simulation|suppose)\b/;

// Simulations
const SIMULATION =
  /\b(what if|what-if|simulate|simulation|if i (invest|put|save|prepay|pay|increase|start|keep)|sip of|start a sip|retire|retirement|prepay|prepayment|part[- ]?pay(ment)?|foreclose|lump ?sum|one[- ]time investment|corpus|kitna banega|goal of|save for (a|my)|how much will (it|my|i|\d)|i want to (save|buy|have|accumulate|build)|(save|accumulate|build|need) [^?.]{0,25}\b(lakhs?|lacs?|crores?|cr|k)\b)/;

// Net worth and its history
const NET_WORTH = /\b(net ?worth|worth|wealth|daulat|sampatti)\b/;
const CHANGE = /\b(history|change|changed|changes|grown|grow|growth|grew|trend|over time|increase|increased|decrease|decreased|went up|gone up|went down|gone down|fallen|fell|compared|since|last (month|year|\d+)|past|badh|badha|ghata)\b/;

// Spending, transactions and cash flow
const SPEND = /\b(spend|spends|spent|spending|expense|expenses|kharch|kharcha|kharche|outflow|splurge|paid for|pay for|withdraw|withdrew|withdrawn|withdrawals?)\b/;
const TRANSACTIONS = /\b(transactions?|txns?|payments to|list (my )?payments|recent payments|statement)\b/;
const CASH_FLOW =
  /\b(savings rate|save|saving|saved|bachat|bachaya|surplus|income|salary|earn|earning|earnings|kamai|cash ?flow|budget|emergency fund|rainy day|left over|leftover)\b/;

const DEBT = /\b(loan|loans|emi|emis|debt|debts|debt-free|payoff|pay off|paid off|karz|karza|karja|qarz|avalanche|snowball|outstanding|owe|owed|owing|dues)\b/;
const CREDIT = /\b(credit score|cibil|experian|credit report|credit (account|accounts|history)|score|utili[sz]ation|credit cards?|cards|card limit|credit limit|late payments?|enquir(y|ies)|inquir(y|ies))\b/;
const EPF = /\b(epf|pf|provident|uan|dormant|pension|eps)\b/;
const ALLOCATION =
  /\b(allocation|allocated|asset mix|portfolio mix|diversif\w*|concentrat\w*|rebalanc\w*|split between|equity (share|exposure|percentage|portion|part)|share of equity|(share|portion|percentage|proportion|part) of my (portfolio|assets|investments|money|wealth)|how much (of my \w+ )?is (in )?(equity|debt|gold|cash|stocks)|how much (gold|equity|international)|is (in )?(equity|debt|gold)|international|foreign|overseas|global (funds?|stocks|equity|etfs?)|us (stocks|equity|equities|shares|funds?|etfs?)|exposure)\b/;
/** The buckets of the allocation, as people name them. */
const BUCKET = '(?:equity|equities|debt|hybrid|gold|cash|international|foreign|overseas|global|us stocks?|us equity|us shares|epf|stocks|mutual funds?|fixed income|bonds?)';
/**
 * The share of the user's assets in a bucket: "what share of my assets is in debt", "how much
 * of my portfolio is international", "gold share". Asked before the debt and cash-flow rules,
 * whose words ("debt", "cash") it shares; not when it is about income or spending.
 */
const ASSET_SHARE = new RegExp(
  `\\b((share|portion|percentage|percent|proportion|part|fraction) of (my |the )?(total )?(portfolio|assets|investments|money|wealth|net ?worth|savings)|how much of my (total )?(portfolio|assets|investments|money|wealth|net ?worth|savings)|${BUCKET} (share|exposure|allocation|percentage|portion|weight)|(share|percentage|portion|proportion|weight) (of|in) ${BUCKET})\\b`,
);
const NOT_ASSETS = /\b(income|salary|earn\w*|emis?|spend\w*|expenses?|rent)\b/;
const RETURNS = /\b(xirr|returns?|performing|performance|perform|gains?|profit|profits|loss|losses|munafa|fayda|cagr|how (are|is) my (mutual )?funds? doing)\b/;
const HOLDINGS = /\b(holdings?|which (funds|stocks|shares)|what (funds|stocks|shares)|my (stocks|shares|mutual funds|funds|portfolio)|sgbs?|etfs?|do i own|do i hold)\b/;
const OVERVIEW = /\b(net ?worth|worth|assets?|liabilit(y|ies)|wealth|daulat|sampatti|how much money do i have|total balance|bank balance|balances?|how rich)\b/;

/** Our cash-flow categories, by the words people use for them. First match wins. */
const CATEGORY_RULES: ReadonlyArray<readonly [RegExp, Category]> = [
  [/\b(rent|kiraya|house rent)\b/, 'rent'],
  [/\b(emi|emis|instal+ments?)\b/, 'emi'],
  [/\b(credit card bills?|card bills?|card payments?)\b/, 'card_payment'],
  [/\bupi\b/, 'upi_spend'],
  [/\b(cards?|credit cards?|debit cards?|swipes?)\b/, 'card_spend'],
  [/\b(atm|cash withdrawals?|cash)\b/, 'atm_cash'],
  [/\b(bills?|electricity|phone|mobile|internet|broadband|utilities|utility|recharge|dth|gas)\b/, 'bills'],
  [/\b(fees?|charges?|penalt(y|ies))\b/, 'fees'],
  [/\b(tax|taxes|tds|gst)\b/, 'tax'],
  [/\b(investments?|sips?|mutual funds?)\b/, 'investments'],
];

const periodOfSpend = (q: string): 'this_month' | 'last_month' | undefined =>
  has(q, /\b(last month|previous month|past month|pichh?le mahine|pichh?la mahina)\b/)
    ? 'last_month'
    : has(q, /\b(this month|current month|is mahine|iss mahine|so far this month)\b/)
      ? 'this_month'
      : undefined;

const periodOfHistory = (q: string): '1m' | '3m' | '6m' | '1y' | 'all' => {
  if (has(q, /\b(all time|ever|since (i )?(start|started|joined|began|the beginning)|beginning|overall)\b/)) return 'all';
  if (has(q, /\b(6|six) months\b|\bhalf[- ]year\b/)) return '6m';
  if (has(q, /\b(3|three) months\b|\bquarter\b/)) return '3m';
  if (has(q, /\b(12 months|year|annual|saal)\b/)) return '1y';
  if (has(q, /\b(month|30 days|mahine|mahina)\b/)) return '1m';
  return 'all';
};

interface Quantity {
  readonly value: number;
  readonly kind: 'rupees' | 'percent' | 'years' | 'months' | 'bare';
  /** The two words before the number (for ages: "at 50", "by 55", "i am 30"). */
  readonly before: string;
  /** The two words after it (for "10% step-up"). */
  readonly after: string;
}

const MULTIPLIER: Readonly<Record<string, number>> = { k: 1e3, thousand: 1e3, hazar: 1e3, l: 1e5, lakh: 1e5, lakhs: 1e5, lac: 1e5, lacs: 1e5, cr: 1e7, crore: 1e7, crores: 1e7 };

/** Numbers in a question with their units: `10k`, `₹1,50,000`, `1.5 lakh`, `12%`, `15 years`, `6 months`. */
function quantities(q: string): Quantity[] {
  const out: Quantity[] = [];
  const re = /(₹|\brs\.? ?|\binr ?)?(\d[\d,]*(?:\.\d+)?)\s*(%|percent\b|years?\b|yrs?\b|saal\b|months?\b|k\b|thousand\b|hazar\b|lakhs?\b|lacs?\b|l\b|crores?\b|cr\b|rupees\b)?/g;
  for (const m of q.matchAll(re)) {
    const value = Number((m[2] ?? '').replace(/,/g, ''));
    if (!Number.isFinite(value)) continue;
    const unit = (m[3] ?? '').trim();
    const before = q.slice(0, m.index).trim().split(' ').slice(-2).join(' ');
    const after = q.slice(m.index + m[0].length).trim().split(' ').slice(0, 2).join(' ');
    const at = { before, after };
    const calendarYear = Number.isInteger(value) && value >= 1900 && value <= 2100 && /\b(in|by|till|until|before)$/.test(before);
    if (unit === '%' || unit === 'percent') out.push({ value, kind: 'percent', ...at });
    else if (/^(years?|yrs?|saal)$/.test(unit)) out.push({ value, kind: 'years', ...at });
    else if (/^months?$/.test(unit)) out.push({ value, kind: 'months', ...at });
    else if (unit in MULTIPLIER) out.push({ value: value * (MULTIPLIER[unit] ?? 1), kind: 'rupees', ...at });
    else if (m[1] !== undefined || unit === 'rupees' || (value >= 1000 && !calendarYear)) out.push({ value, kind: 'rupees', ...at });
    else out.push({ value, kind: 'bare', ...at });
  }
  return out;
}

const first = (qs: readonly Quantity[], kind: Quantity['kind']): number | undefined => qs.find((x) => x.kind === kind)?.value;
const ageAfter = (qs: readonly Quantity[], words: RegExp): number | undefined => qs.find((x) => x.kind === 'bare' && words.test(x.before) && x.value >= 15 && x.value <= 120)?.value;

const paise = (rupees: number | undefined): number | undefined => (rupees === undefined ? undefined : Math.round(rupees * 100));

/**
 * A what-if question as `run_simulation` arguments: `{ scenario }` in the shape of the
 * simulate contract (shared/contracts/simulate.ts: `type`, amounts in integer paise, rates
 * in percent, years); whatever the question leaves out is filled from the user's data by
 * the tool. Null when a scenario lacks what it cannot run without.
 */
function simulationArgs(q: string): Args | null {
  const scenario = simulationScenario(q);
  return scenario ? { scenario } : null;
}

function simulationScenario(q: string): Args | null {
  const qs = quantities(q);
  const amount = first(qs, 'rupees');
  const years = first(qs, 'years');
  const months = first(qs, 'months');
  const percents = qs.filter((x) => x.kind === 'percent');
  const stepUp = percents.find((x) => /\b(step[- ]?up|stepping up|increase|increasing|raise|raising|top[- ]?up)\b/.test(`${x.before} ${x.after}`))?.value;
  const ret = percents.find((x) => x.value !== stepUp)?.value;
  const put = (args: Args): Args => Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));

  if (has(q, /\b(prepay|prepayment|part[- ]?pay(ment)?|foreclose|pay extra|extra payment)\b/)) {
    return amount === undefined ? null : put({ type: 'loan-prepayment', prepaymentPaise: paise(amount) });
  }
  if (has(q, /\b(retire|retirement)\b/)) {
    return put({
      type: 'retirement',
      retirementAge: ageAfter(qs, /\b(at|by|age|till|until)$/),
      currentAge: ageAfter(qs, /\b(am|i'm|im|aged|age is)$/),
      monthlySavingPaise: has(q, /\b(save|saving|invest|investing|sip)\b/) ? paise(amount) : undefined,
      monthlyExpensesPaise: has(q, /\b(expense|expenses|spend|spending|need)\b/) && !has(q, /\b(save|saving|invest|investing|sip)\b/) ? paise(amount) : undefined,
      preRetirementReturnPercent: ret,
    });
  }
  if (has(q, /\bemergency fund\b/)) {
    return put({ type: 'emergency-fund', targetMonths: months, monthlySavingPaise: paise(amount) });
  }
  if (has(q, /\b(lump ?sum|one[- ]time)\b/) || (amount !== undefined && has(q, /\b(invest|put)\b/) && !has(q, /\b(sip|every month|each month|per month|a month|monthly)\b/) && !has(q, /\b(goal|target|reach)\b/))) {
    return amount === undefined ? null : put({ type: 'lumpsum', amountPaise: paise(amount), years, expectedReturnPercent: ret });
  }
  if (has(q, /\b(sip|every month|each month|per month|a month|monthly)\b/)) {
    return amount === undefined || years === undefined ? null : put({ type: 'sip', monthlyAmountPaise: paise(amount), years, expectedReturnPercent: ret, stepUpPercent: stepUp });
  }
  if (has(q, /\b(goal|target|reach|save for|buy a|buy my|for a|for an|for my|corpus|accumulate|build)\b/)) {
    return amount === undefined ? null : put({ type: 'goal', targetAmountPaise: paise(amount), years, expectedReturnPercent: ret });
  }
  return null;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The calendar month a spending question means, as `month` (YYYY-MM) and `from`/`to` days; none without `today`. */
function monthArgs(period: 'this_month' | 'last_month' | undefined, today: string | undefined): Args {
  const m = today === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!period || !m) return {};
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (period === 'this_month') return { month: `${y}-${pad2(mo)}`, from: `${y}-${pad2(mo)}-01`, to: today };
  const [py, pm] = mo === 1 ? [y - 1, 12] : [y, mo - 1];
  const lastDay = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  return { month: `${py}-${pad2(pm)}`, from: `${py}-${pad2(pm)}-01`, to: `${py}-${pad2(pm)}-${pad2(lastDay)}` };
}

const NOT_A_PAYEE = new Set(['my', 'the', 'a', 'an', 'average', 'avg', 'total', 'all', 'each', 'every', 'things', 'stuff', 'what', 'it', 'them', 'this', 'last', 'monthly']);

/** The payee or thing after "on"/"to"/"at" ("spent on swiggy"), when it is not one of our categories. */
function searchTerm(q: string): string | undefined {
  const m = /\b(?:on|to|at|for) ([a-z][a-z0-9&']{1,20}(?: [a-z][a-z0-9&']{1,20})?)/.exec(q);
  const words = (m?.[1] ?? '').split(' ').filter((w) => !NOT_A_PAYEE.has(w));
  const stop = words.findIndex((w) => ['this', 'last', 'in', 'during', 'per', 'every', 'each', 'month', 'week', 'year'].includes(w));
  const term = (stop === -1 ? words : words.slice(0, stop)).join(' ');
  return term.length >= 2 ? term : undefined;
}

/**
 * Arguments of a spending question: `category` (ours), `month` (for get_cash_flow) and
 * `from`/`to` (for get_transactions) when it says this or last month, `search` for a payee
 * that is not a category. Each tool keeps the ones it declares (`fitArgs`).
 */
function spendingArgs(q: string, today: string | undefined): { args: Args; category: Category | undefined; search: string | undefined } {
  const rule = CATEGORY_RULES.find(([re]) => re.test(q));
  const category = rule?.[1];
  const search = category ? undefined : searchTerm(q);
  return { args: { ...(category ? { category } : {}), ...(search ? { search } : {}), ...monthArgs(periodOfSpend(q), today) }, category, search };
}

interface Rule {
  readonly test: (q: string) => boolean;
  /** Tools in order of preference, with arguments; the first declared one is called. */
  readonly tools: (q: string, today: string | undefined) => ReadonlyArray<readonly [ChatToolName, Args]>;
}

const RULES: readonly Rule[] = [
  { test: (q) => has(q, NET_WORTH) && has(q, CHANGE), tools: (q) => [['get_net_worth_history', { period: periodOfHistory(q) }]] },
  {
    test: (q) => has(q, SPEND),
    tools: (q, today) => {
      const { args, category, search } = spendingArgs(q, today);
      return category || search ? [['get_transactions', args], ['get_cash_flow', args]] : [['get_cash_flow', args], ['get_transactions', args]];
    },
  },
  { test: (q) => has(q, TRANSACTIONS), tools: (q, today) => [['get_transactions', spendingArgs(q, today).args]] },
  { test: (q) => has(q, ASSET_SHARE) && !has(q, NOT_ASSETS), tools: () => [['get_allocation', {}]] },
  {
    test: (q) => has(q, CASH_FLOW) && !has(q, /\bsavings accounts?\b/) && !has(q, /\b(avalanche|snowball|debt|debts|loan|loans|interest|emi|emis|owe|owed|owing|dues|outstanding)\b/),
    tools: (q, today) => [['get_cash_flow', monthArgs(periodOfSpend(q), today)]],
  },
  { test: (q) => has(q, DEBT), tools: () => [['get_debt_plan', {}]] },
  { test: (q) => has(q, CREDIT), tools: () => [['get_credit', {}]] },
  { test: (q) => has(q, EPF), tools: () => [['get_epf', {}]] },
  { test: (q) => has(q, ALLOCATION), tools: () => [['get_allocation', {}]] },
  { test: (q) => has(q, RETURNS), tools: () => [['get_returns', {}]] },
  { test: (q) => has(q, HOLDINGS), tools: () => [['get_holdings', {}]] },
  { test: (q) => has(q, OVERVIEW), tools: () => [['get_overview', {}]] },
];

const isChatTool = (name: string): name is ChatToolName => (CHAT_TOOLS as readonly string[]).includes(name);

/**
 * Keeps the arguments a declaration accepts: when it lists properties, keys it does not
 * declare are dropped, and so is a value outside a declared `enum`. Without declared
 * properties the arguments pass as they are (the tool validates them again either way).
 */
function fitArgs(args: Args, declaration: LlmToolDeclaration | undefined): Args {
  const props: Readonly<Record<string, LlmSchema>> | undefined = declaration?.parameters.properties;
  if (!props) return args;
  return Object.fromEntries(
    Object.entries(args).filter(([key, value]) => {
      const schema = props[key];
      return schema !== undefined && (schema.enum === undefined || (typeof value === 'string' && schema.enum.includes(value)));
    }),
  );
}

/**
 * Maps a chat message to one call among the declared tools, or to a reason to decline.
 * Rules, first match wins: questions the user's own data cannot answer (market
 * predictions, other people's finances, stock tips) → decline `outside-data`; assets Fi does
 * not hold (jewellery, a car's or a house's value, cash at home) → `not-in-fi`; what-if
 * questions → `run_simulation` with the scenario it can parse (decline `need-details` when
 * there is not enough); the user's own future that no simulation computes (next year's
 * salary, a bonus, tax) → `future`; then net-worth change → history, spending,
 * transactions, asset shares ("what share of my assets is in debt") → allocation,
 * savings/income/emergency fund → cash flow, loans/EMI/EMI-to-income/what is owed → debt
 * plan, credit, EPF, allocation, returns, holdings, net worth/assets → overview. A rule whose
 * tools are not declared is skipped. `today` (`YYYY-MM-DD`) turns "this/last month" into
 * dates; without it they are left out. Pure and deterministic.
 */
export function intentOf(message: string, declaredTools: ReadonlyArray<string | LlmToolDeclaration>, options: { readonly today?: string } = {}): Intent {
  const q = normalise(message);
  const original = message.replace(/[\u2018\u2019`]/g, "'").replace(/\s+/g, ' ').trim();
  const declared = new Map<string, LlmToolDeclaration | undefined>(declaredTools.map((t) => (typeof t === 'string' ? [t, undefined] : [t.name, t])));
  const call = (name: ChatToolName, args: Args): Intent | null => (declared.has(name) ? { kind: 'call', name, args: fitArgs(args, declared.get(name)) } : null);

  if ((has(q, MARKET) && has(q, PREDICTION)) || aboutSomeoneElse(q, original) || has(q, TIP)) return { kind: 'decline', reason: 'outside-data' };
  const ownRecords = has(q, SPEND) || has(q, TRANSACTIONS) || has(q, OWN_BILLS);
  if (!ownRecords && (has(q, PHYSICAL_ASSET) || (has(q, AT_HOME) && has(q, KEPT)) || (has(q, VALUED_THING) && has(q, VALUE_WORDS)))) return { kind: 'decline', reason: 'not-in-fi' };
  const ownFuture = has(q, FUTURE) && has(q, OWN_FUTURE);
  const qs = quantities(q);
  const amount = qs.some((x) => x.kind === 'rupees');
  // "Save 50k a month for 15 years": an amount, a horizon and a verb of saving make a what-if.
  const projection = amount && qs.some((x) => x.kind === 'years') && has(q, /\b(save|saving|invest|investing|put|sip)\b/);
  if (has(q, SIMULATION) || projection || (has(q, /\bsip\b/) && amount)) {
    const args = simulationArgs(q);
    return (args && call('run_simulation', args)) ?? { kind: 'decline', reason: ownFuture && !has(q, EXPLICIT_WHAT_IF) ? 'future' : 'need-details' };
  }
  if (ownFuture) return { kind: 'decline', reason: 'future' };
  for (const rule of RULES) {
    if (!rule.test(q)) continue;
    for (const [name, args] of rule.tools(q, options.today)) {
      const intent = call(name, args);
      if (intent) return intent;
    }
  }
  return { kind: 'decline', reason: 'no-rule' };
}

// ---------------------------------------------------------------------------------------
// Answers from tool results

const DECLINE_TEXT: Readonly<Record<Extract<Intent, { kind: 'decline' }>['reason'], string>> = {
  'outside-data':
    "I can only answer from your own linked Fi data, so I can't predict markets, see anyone else's finances or recommend individual stocks. Ask me about your net worth, spending, savings, investment returns, credit, EPF, loans or a what-if simulation.",
  'not-in-fi':
    "Your linked Fi data does not include that: Fi sees your bank accounts, mutual funds, stocks, deposits, EPF, credit report and loans, but not jewellery or physical gold, vehicles, property or cash kept at home, so I can't tell you what it is worth.",
  future:
    "I can't predict your future salary, bonus, tax or spending: I can only answer from your linked Fi data as it is today. For a projection, ask for a what-if simulation with an amount and a number of years.",
  'need-details':
    'I can run what-if simulations for a SIP, a lump sum, a loan prepayment, retirement, an emergency fund or a savings goal. Tell me the amount and the number of years (and a return if you have one in mind), for example: what if I invest a monthly SIP for some years.',
  'no-rule':
    'I can answer questions about your net worth, spending, savings rate, emergency fund, investment returns and allocation, credit score and cards, EPF, loans and debt payoff, and run what-if simulations, all from your linked Fi data.',
};

const ACRONYMS: Readonly<Record<string, string>> = { xirr: 'XIRR', emi: 'EMI', emis: 'EMIs', epf: 'EPF', eps: 'EPS', sip: 'SIP', upi: 'UPI', nps: 'NPS', uan: 'UAN', uans: 'UANs', mf: 'MF', etf: 'ETF', etfs: 'ETFs', sgb: 'SGB', us: 'US', fi: 'Fi', atm: 'ATM' };

/** `savingsRatePercent` → `savings rate`; `epfDormantCount` → `EPF dormant`. */
export function figureLabel(key: string): string {
  const base = key.replace(/(Rupees|Percent|Months|Years|Days|Count)$/, '') || key;
  return base
    .replace(/[_.]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => ACRONYMS[w] ?? w)
    .join(' ');
}

/** A string figure is quoted only when it is a short plain label (no links, no markup, no long digit runs). */
const PLAIN_LABEL = /^[\p{L}\p{N} .,&()'_/-]{1,40}$/u;
const quotableString = (s: string): boolean => PLAIN_LABEL.test(s) && !/\d{6,}|https?|www\./i.test(s);

/** Values that say a figure is missing: left out rather than quoted as "not available". */
const UNAVAILABLE_VALUE = /^(not available|unavailable|n\/a|none|unknown)$/i;

/** A figure as the answer writes it, or null to leave it out (null, not finite, an unsafe or "unavailable" string). */
function formatToolFigure(key: string, value: FactValue): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return quotableString(value) && !UNAVAILABLE_VALUE.test(value.trim()) ? value.replace(/_/g, ' ') : null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return formatFigure(value, unitOfKey(key));
}

/** Words of a question worth matching against figure keys. */
const questionWords = (q: string): string[] => normalise(q).split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !['the', 'and', 'how', 'what', 'much', 'many', 'does', 'did', 'have', 'your', 'with', 'for', 'from', 'this', 'that', 'last', 'month'].includes(w));

const MAX_FIGURES_PER_TOOL = 8;
/** Headline figures kept when the answer also quotes items the question names. */
const MAX_FIGURES_WITH_ITEMS = 4;
const MAX_NAMED_ITEMS = 3;
const MAX_FIGURES_PER_ITEM = 4;
const ORDINALS = ['first', 'second', 'third'];
/** The item fields that name an item (third-party text, cleaned by the tool). */
const ITEM_NAME_KEYS = ['name', 'lender', 'employer', 'payee'] as const;
/** Tools whose items are rows of a search rather than named things: their figures already answer for the match. */
const TOOLS_WITHOUT_NAMED_ITEMS: ReadonlySet<string> = new Set(['get_transactions', 'get_net_worth_history', 'run_simulation']);
/** Words of fund, lender and employer names too common to pick one by (they rank matches, never make one). */
const GENERIC_NAME_WORDS = new Set(
  (
    'the and for with fund funds direct plan growth regular option idcw dividend payout reinvestment scheme cap index etf bank ltd limited india indian national ' +
    'mutual private pvt company corporation services finance financial card cards credit loan loans home personal money capital fixed deposit short long term ' +
    'duration liquid opportunities plus account accounts'
  ).split(' '),
);

const DAY_MS = 86_400_000;
/** India is UTC+05:30: "this month" is the user's calendar month. */
const IST_OFFSET_MS = 330 * 60_000;

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/**
 * How old the data is: the ISO date (which the grounding check never reads as a figure) and
 * an age in words or in small counts (`3 days old`, `2 weeks old`, `five months old`), so
 * that the age itself is never mistaken for an ungrounded figure.
 */
export function dataAge(asOf: unknown, now: Date): string {
  if (typeof asOf !== 'string' || Number.isNaN(Date.parse(asOf))) return 'the date of this data is not known';
  const date = asOf.slice(0, 10);
  const days = Math.floor((now.getTime() - Date.parse(asOf)) / DAY_MS);
  const months = Math.floor(days / 30);
  const age =
    days <= 0
      ? 'fetched today'
      : days === 1
        ? 'fetched yesterday'
        : days <= 10
          ? `${days} days old`
          : days < 14
            ? 'over a week old'
            : days < 60
              ? `${Math.floor(days / 7)} weeks old`
              : months <= 12
                ? `${NUMBER_WORDS[months] ?? 'several'} months old`
                : 'more than a year old';
  return `data as of ${date}, ${age}`;
}

interface ToolResultLike {
  readonly ok: boolean;
  readonly tool: unknown;
  readonly asOf?: unknown;
  readonly figures?: unknown;
  readonly items?: unknown;
  readonly code?: unknown;
}

/** The ToolResult in a function response: the response itself or its `result` (one level). */
const asToolResult = (x: unknown, depth = 0): ToolResultLike | null => {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || depth > 1) return null;
  const o = x as Record<string, unknown>;
  if (typeof o.ok === 'boolean') return o as unknown as ToolResultLike;
  return asToolResult(o.result ?? null, depth + 1);
};

const ERROR_TEXT: Readonly<Record<string, (tool: string) => string>> = {
  'consent-required': (tool) => `Access to your Fi data has been revoked or not granted, so ${tool} could not read it. Reconnect Fi and allow access, and I can answer this.`,
  'no-data': (tool) => `There is no data for this yet (${tool} found nothing). Link Fi and let a sync finish first.`,
  'invalid-arguments': (tool) => `I could not put together a valid request for ${tool}. Try asking again with the amount and the period spelled out.`,
  'unknown-tool': () => 'That lookup is not available to me.',
};
const failedText = (tool: string): string => `Looking this up with ${tool} failed. Please try again in a little while.`;

interface ScoredFigure {
  readonly label: string;
  readonly shown: string;
  readonly score: number;
  readonly index: number;
}

/** Figures of a record worth quoting, the ones the question's words name first (then in their order). */
function rankFigures(record: Readonly<Record<string, unknown>>, words: readonly string[], numbersOnly: boolean): ScoredFigure[] {
  return Object.entries(record)
    .map(([key, value], index) => {
      const label = figureLabel(key);
      const quotable = value === null || typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && !numbersOnly);
      const shown = quotable ? formatToolFigure(key, value as FactValue) : null;
      const score = words.filter((w) => label.toLowerCase().includes(w) || key.toLowerCase().includes(w)).length;
      return { label, shown, score, index };
    })
    .filter((f): f is ScoredFigure => f.shown !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

/** Letter-only words of a text, as written (names with digits keep only their words). */
const letterWords = (text: string): string[] => text.split(/[^A-Za-z]+/).filter((w) => w !== '');

/** A word of a name as the answer writes it: SHOUTED names in title case ("DECCAN" → "Deccan"), short acronyms as they are. */
const nameWord = (w: string): string => (w.length > 4 && w === w.toUpperCase() ? `${w[0]}${w.slice(1).toLowerCase()}` : w);

/**
 * The items a question names, with their figures: an item whose name (`name`, `lender`,
 * `employer` or `payee`) shares a word with the question that is neither generic ("fund",
 * "bank") nor a word the headline figures already explain ("gold" for an allocation). The
 * best-matching items only (ties kept, at most `MAX_NAMED_ITEMS`). Each is labelled by the
 * words its name shares with the question, letters only and nothing else of the name, so no
 * third-party text beyond words the user wrote reaches the answer; its quoted figures are
 * numbers and yes/no only.
 */
function namedItems(result: { readonly items?: unknown; readonly figures?: unknown }, question: string, words: readonly string[]): Array<{ label: string; figures: ScoredFigure[] }> {
  const items = Array.isArray(result.items) ? (result.items as unknown[]) : [];
  const asked = new Set(normalise(question).split(/[^a-z]+/).filter((w) => w.length >= 3));
  const figureKeys = result.figures !== null && typeof result.figures === 'object' ? Object.keys(result.figures) : [];
  const explained = new Set(figureKeys.flatMap((k) => figureLabel(k).toLowerCase().split(' ')));
  const candidates = items.flatMap((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return [];
    const record = item as Record<string, unknown>;
    const nameKey = ITEM_NAME_KEYS.find((k) => typeof record[k] === 'string');
    if (nameKey === undefined) return [];
    const nameWords = letterWords(record[nameKey] as string);
    const shared = [...new Set(nameWords.map((w) => w.toLowerCase()).filter((w) => asked.has(w)))];
    const distinctive = shared.filter((w) => !GENERIC_NAME_WORDS.has(w) && !explained.has(w));
    if (distinctive.length === 0) return [];
    const labelWords: string[] = [];
    for (const w of nameWords) if (shared.includes(w.toLowerCase()) && !labelWords.some((x) => x.toLowerCase() === w.toLowerCase())) labelWords.push(nameWord(w));
    const label = labelWords.join(' ').slice(0, 40).trim();
    const rest = Object.fromEntries(Object.entries(record).filter(([k]) => !(ITEM_NAME_KEYS as readonly string[]).includes(k)));
    const figures = rankFigures(rest, words, true).slice(0, MAX_FIGURES_PER_ITEM);
    if (!quotableString(label) || figures.length === 0) return [];
    return [{ label, figures, score: distinctive.length * 100 + shared.length }];
  });
  const best = Math.max(0, ...candidates.map((c) => c.score));
  const chosen = candidates.filter((c) => c.score === best).slice(0, MAX_NAMED_ITEMS);
  // Items the question names by the same words are told apart by their order, in words (a digit would read as a figure).
  return chosen.map(({ label, figures }, i) => ({ label: chosen.filter((c) => c.label === label).length > 1 ? `${label} (${ORDINALS[i] ?? 'next'} match)` : label, figures }));
}

function answerFromResult(name: string, response: unknown, question: string, now: Date): string {
  const result = asToolResult(response);
  const declaredName = typeof result?.tool === 'string' && isChatTool(result.tool) ? result.tool : isChatTool(name) ? name : 'that lookup';
  if (!result) return `I could not read the answer from ${declaredName}.`;
  if (!result.ok) {
    const code = typeof result.code === 'string' ? result.code : 'failed';
    return (ERROR_TEXT[code] ?? failedText)(declaredName);
  }
  const figures = result.figures !== null && typeof result.figures === 'object' && !Array.isArray(result.figures) ? (result.figures as Record<string, unknown>) : {};
  const words = questionWords(question);
  const items = TOOLS_WITHOUT_NAMED_ITEMS.has(declaredName) ? [] : namedItems(result, question, words);
  const scored = rankFigures(figures, words, false).slice(0, items.length > 0 ? MAX_FIGURES_WITH_ITEMS : MAX_FIGURES_PER_TOOL);
  const age = dataAge(result.asOf, now);
  const parts = [...items.map((i) => `${i.label}: ${i.figures.map((f) => `${f.label}: ${f.shown}`).join(', ')}`), ...scored.map((f) => `${f.label}: ${f.shown}`)];
  if (parts.length === 0) return `From ${declaredName} (${age}): there are no figures for this.`;
  return `From ${declaredName} (${age}): ${parts.join('; ')}.`;
}

// ---------------------------------------------------------------------------------------
// Insights from facts

type Severity = ModelInsight['severity'];
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2, info: 3 };
/** Most insights written; fewer when the facts support fewer. */
export const MAX_LOCAL_INSIGHTS = 6;

class FactIndex {
  private readonly byId: ReadonlyMap<string, Fact>;
  constructor(facts: readonly Fact[]) {
    this.byId = new Map(facts.map((f) => [f.id, f]));
  }
  fact(id: string): Fact | undefined {
    return this.byId.get(id);
  }
  num(id: string): number | undefined {
    const v = this.byId.get(id)?.value;
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }
  text(id: string): string | undefined {
    const v = this.byId.get(id)?.value;
    return typeof v === 'string' ? v : undefined;
  }
  /** The fact's value as the user reads it; '' when the fact is missing. */
  show(id: string): string {
    const f = this.byId.get(id);
    return f ? formatFigure(f.value, f.unit) : '';
  }
  ids(...ids: string[]): string[] {
    return ids.filter((id) => this.byId.has(id));
  }
  matching(re: RegExp): Fact[] {
    return [...this.byId.values()].filter((f) => re.test(f.id));
  }
}

type Template = (f: FactIndex) => ModelInsight | null;

const insight = (i: Omit<ModelInsight, 'sourceFactIds'> & { sourceFactIds: string[] }): ModelInsight | null => (i.sourceFactIds.length > 0 ? { ...i, sourceFactIds: i.sourceFactIds.slice(0, 10) } : null);

const TEMPLATES: readonly Template[] = [
  // Spending more than income / savings rate.
  (f) => {
    const rate = f.num('cashflow.savingsRatePercent');
    if (rate === undefined) return null;
    const ids = f.ids('cashflow.savingsRatePercent', 'cashflow.monthlyIncomeRupees', 'cashflow.monthlySpendingRupees');
    const both = f.num('cashflow.monthlyIncomeRupees') !== undefined && f.num('cashflow.monthlySpendingRupees') !== undefined;
    const detail = both ? ` Average monthly spending is ${f.show('cashflow.monthlySpendingRupees')} against average monthly income of ${f.show('cashflow.monthlyIncomeRupees')}.` : '';
    if (rate < 0)
      return insight({ title: 'You are spending more than you earn', description: `Your savings rate is ${f.show('cashflow.savingsRatePercent')}: over the period your bank data covers, more went out than came in.${detail} Start with your largest spending categories.`, category: 'budget', impact: 'negative', severity: 'high', confidence: 0.9, sourceFactIds: ids, expiresInDays: 30 });
    if (rate < 20)
      return insight({ title: 'Your savings rate is low', description: `You keep ${f.show('cashflow.savingsRatePercent')} of your income after spending.${detail} A small automatic transfer to savings or a SIP right after payday makes saving the default.`, category: 'savings', impact: 'negative', severity: 'medium', confidence: 0.85, sourceFactIds: ids, expiresInDays: 30 });
    return insight({ title: 'You save a healthy share of your income', description: `You keep ${f.show('cashflow.savingsRatePercent')} of your income after spending.${detail} Make sure the surplus is invested towards a goal rather than left idle in a savings account.`, category: 'savings', impact: 'positive', severity: 'low', confidence: 0.85, sourceFactIds: ids, expiresInDays: 30 });
  },
  // Emergency fund.
  (f) => {
    const months = f.num('cashflow.emergencyFundMonths');
    const status = f.text('cashflow.emergencyFundStatus');
    if (months === undefined || status === undefined) return null;
    const ids = f.ids('cashflow.emergencyFundMonths', 'cashflow.liquidAssetsRupees', 'cashflow.monthlySpendingRupees', 'cashflow.emergencyFundStatus');
    const liquid = f.num('cashflow.liquidAssetsRupees') !== undefined ? `Your liquid money of ${f.show('cashflow.liquidAssetsRupees')}` : 'Your liquid money';
    const spend = f.num('cashflow.monthlySpendingRupees') !== undefined ? ` of ${f.show('cashflow.monthlySpendingRupees')}` : '';
    const covers = `${liquid} covers ${f.show('cashflow.emergencyFundMonths')} of your average monthly spending${spend}.`;
    if (status === 'low')
      return insight({ title: 'Your emergency fund is thin', description: `${covers} Build this cushion up in a savings account or liquid fund before taking on new investments or loans, so a sudden expense or a gap in income does not force you to borrow.`, category: 'savings', impact: 'negative', severity: months < 1 ? 'high' : 'medium', confidence: 0.9, sourceFactIds: ids, expiresInDays: 30 });
    if (status === 'strong')
      return insight({ title: 'Your emergency fund is strong', description: `${covers} Money well beyond a comfortable cushion could work harder in investments that suit your goals.`, category: 'savings', impact: 'positive', severity: 'low', confidence: 0.85, sourceFactIds: ids, expiresInDays: 30 });
    return insight({ title: 'Your emergency fund is in reasonable shape', description: `${covers} Topping it up as your spending grows keeps it useful.`, category: 'savings', impact: 'neutral', severity: 'info', confidence: 0.85, sourceFactIds: ids, expiresInDays: 30 });
  },
  // Card utilisation.
  (f) => {
    const util = f.num('credit.utilisationPercent');
    const status = f.text('credit.utilisationStatus');
    if (util === undefined || status === undefined) return null;
    const ids = f.ids('credit.utilisationPercent', 'credit.utilisationStatus');
    const used = `Your credit cards are at ${f.show('credit.utilisationPercent')} of their combined limit.`;
    if (status === 'high' || status === 'over_limit')
      return insight({ title: 'Your credit card balances are high', description: `${used} Paying the balances down, ideally before the statement date, usually lifts your credit score and avoids card interest, which is among the costliest borrowing there is.`, category: 'credit', impact: 'negative', severity: 'high', confidence: 0.9, sourceFactIds: ids, expiresInDays: 30 });
    if (status === 'fair')
      return insight({ title: 'Your credit card use is on the high side', description: `${used} Keeping balances lower before the statement date helps your credit score.`, category: 'credit', impact: 'negative', severity: 'medium', confidence: 0.85, sourceFactIds: ids, expiresInDays: 30 });
    return insight({ title: 'Your credit card use is low', description: `${used} Low use of your limits supports a good credit score.`, category: 'credit', impact: 'positive', severity: 'low', confidence: 0.85, sourceFactIds: ids, expiresInDays: 30 });
  },
  // Late payments and score.
  (f) => {
    const late = f.num('credit.latePayments');
    const score = f.num('credit.score');
    if (late !== undefined && late > 0)
      return insight({ title: 'Late payments are on your credit report', description: `Your credit report shows a late payment in ${f.show('credit.latePayments')} of the months it records.${score !== undefined ? ` Your score is ${f.show('credit.score')}.` : ''} Paying at least the minimum due on time, with auto-pay, matters more for your score than anything else.`, category: 'credit', impact: 'negative', severity: 'high', confidence: 0.9, sourceFactIds: f.ids('credit.latePayments', 'credit.score'), expiresInDays: 30 });
    if (score === undefined) return null;
    const band = f.text('credit.scoreBand');
    const bandWords = band ? ` (${band.replace(/_/g, ' ')})` : '';
    if (band === 'poor' || band === 'fair')
      return insight({ title: 'Your credit score has room to improve', description: `Your credit score is ${f.show('credit.score')}${bandWords}. Paying every due on time and keeping card balances low are the surest ways to raise it.`, category: 'credit', impact: 'negative', severity: 'medium', confidence: 0.85, sourceFactIds: f.ids('credit.score', 'credit.scoreBand'), expiresInDays: 30 });
    return insight({ title: 'Your credit score is in good shape', description: `Your credit score is ${f.show('credit.score')}${bandWords}${late === 0 ? ', with no late payments on record' : ''}. Paying on time and keeping card balances low keeps it there.`, category: 'credit', impact: 'positive', severity: 'info', confidence: 0.85, sourceFactIds: f.ids('credit.score', 'credit.scoreBand', 'credit.latePayments'), expiresInDays: 30 });
  },
  // EMI burden.
  (f) => {
    const status = f.text('debt.emiToIncomeStatus');
    if (f.num('debt.emiToIncomePercent') === undefined || (status !== 'high' && status !== 'stretched')) return null;
    const assumed = f.fact('debt.highestRatePercent')?.label.includes('assumed') ? 'an assumed ' : '';
    const highest = f.num('debt.highestRatePercent') !== undefined ? ` Clearing the costliest debt first (${assumed}${f.show('debt.highestRatePercent')} a year) frees up the most money.` : '';
    return insight({ title: 'Your EMIs take a large share of your income', description: `Your EMIs and card dues come to ${f.show('debt.emiToIncomePercent')} of your monthly income. Lenders see this as ${status}, which makes new loans harder to get.${highest}`, category: 'debt', impact: 'negative', severity: status === 'high' ? 'high' : 'medium', confidence: 0.85, sourceFactIds: f.ids('debt.emiToIncomePercent', 'debt.emiToIncomeStatus', 'debt.highestRatePercent'), expiresInDays: 30 });
  },
  // Dormant EPF.
  (f) => {
    const count = f.num('epf.dormantCount');
    if (count === undefined || count <= 0) return null;
    const amount = f.num('epf.dormantRupees') !== undefined ? ` still ${count === 1 ? 'holds' : 'hold'} ${f.show('epf.dormantRupees')}` : ' still hold money';
    return insight({ title: 'Move your PF from past employers', description: `${f.show('epf.dormantCount')} EPF ${count === 1 ? 'account' : 'accounts'} with past employers${amount}. Transferring ${count === 1 ? 'it' : 'them'} to your current UAN through the EPFO member portal keeps your PF in one place and makes withdrawals and tax treatment simpler.`, category: 'epf', impact: 'negative', severity: 'medium', confidence: 0.9, sourceFactIds: f.ids('epf.dormantCount', 'epf.dormantRupees'), expiresInDays: 90 });
  },
  // Payoff order.
  (f) => {
    const saved = f.num('debt.interestSavedByAvalancheRupees');
    const months = f.num('debt.avalancheMonths');
    if (months === undefined) return null;
    if (saved !== undefined && saved > 0)
      return insight({ title: 'Pay your costliest debt first', description: `Putting your payments towards the highest-rate debt first (the avalanche method) clears your debts in ${f.show('debt.avalancheMonths')} and saves ${f.show('debt.interestSavedByAvalancheRupees')} in interest compared with clearing the smallest balance first.`, category: 'debt', impact: 'positive', severity: 'medium', confidence: 0.85, sourceFactIds: f.ids('debt.interestSavedByAvalancheRupees', 'debt.avalancheMonths'), expiresInDays: 30 });
    const pay = f.num('debt.monthlyPaymentsRupees') !== undefined && f.num('debt.totalOutstandingRupees') !== undefined ? `Paying ${f.show('debt.monthlyPaymentsRupees')} a month towards ${f.show('debt.totalOutstandingRupees')} of debt` : 'At your current payments, your debt';
    const interest = f.num('debt.avalancheInterestRupees') !== undefined ? `, with ${f.show('debt.avalancheInterestRupees')} paid in interest along the way` : '';
    return insight({ title: 'When you will be debt-free', description: `${pay} clears it in ${f.show('debt.avalancheMonths')}${interest}. Any extra payment shortens that and cuts the interest.`, category: 'debt', impact: 'neutral', severity: 'info', confidence: 0.8, sourceFactIds: f.ids('debt.avalancheMonths', 'debt.monthlyPaymentsRupees', 'debt.totalOutstandingRupees', 'debt.avalancheInterestRupees'), expiresInDays: 30 });
  },
  // Concentration.
  (f) => {
    const flags = f.num('allocation.concentrationFlagCount');
    if (flags === undefined || flags <= 0 || f.num('allocation.largestHoldingPercent') === undefined) return null;
    return insight({ title: 'One holding carries much of your portfolio', description: `Your largest single holding is ${f.show('allocation.largestHoldingPercent')} of your investments. Leaning this much on one holding means its ups and downs drive your whole portfolio; spreading new money across a few more reduces that risk.`, category: 'investments', impact: 'negative', severity: 'medium', confidence: 0.7, sourceFactIds: f.ids('allocation.largestHoldingPercent', 'allocation.concentrationFlagCount'), expiresInDays: 30 });
  },
  // Returns.
  (f) => {
    const xirr = f.num('returns.portfolioXirrPercent');
    if (xirr === undefined) return null;
    if (xirr < 0)
      return insight({ title: 'Your mutual funds are down overall', description: `Your mutual fund portfolio's XIRR is ${f.show('returns.portfolioXirrPercent')}. Check whether one fund causes most of it before deciding anything; selling in a fall locks the loss in.`, category: 'investments', impact: 'negative', severity: 'medium', confidence: 0.8, sourceFactIds: f.ids('returns.portfolioXirrPercent'), expiresInDays: 30 });
    const weakest = f
      .matching(/^returns\.scheme\.[A-Z0-9]+\.xirrPercent$/)
      .filter((x) => typeof x.value === 'number')
      .sort((a, b) => (a.value as number) - (b.value as number) || (a.id < b.id ? -1 : 1))[0];
    if (weakest && typeof weakest.value === 'number' && xirr - weakest.value >= 5)
      return insight({ title: 'One fund lags the rest of your portfolio', description: `One of your funds has returned ${formatFigure(weakest.value, weakest.unit)} a year (XIRR) against ${f.show('returns.portfolioXirrPercent')} for your mutual funds as a whole. Review whether it still fits your plan before adding more to it.`, category: 'investments', impact: 'neutral', severity: 'low', confidence: 0.75, sourceFactIds: [weakest.id, 'returns.portfolioXirrPercent'], expiresInDays: 30 });
    const gain = f.num('returns.absoluteGainRupees') !== undefined ? `, a total gain of ${f.show('returns.absoluteGainRupees')}` : '';
    return insight({ title: 'Your mutual funds are growing', description: `Your mutual fund portfolio has an XIRR of ${f.show('returns.portfolioXirrPercent')}${gain}. Staying invested through ups and downs is what lets this compound.`, category: 'investments', impact: 'positive', severity: 'info', confidence: 0.8, sourceFactIds: f.ids('returns.portfolioXirrPercent', 'returns.absoluteGainRupees'), expiresInDays: 30 });
  },
  // Asset mix: money idle in cash, or the equity share.
  (f) => {
    const cash = f.num('allocation.cashPercent');
    const equity = f.num('allocation.equityPercent');
    if (cash !== undefined && cash >= 50)
      return insight({ title: 'Most of your assets sit in cash', description: `${f.show('allocation.cashPercent')} of your total assets is in bank balances and cash-like funds. Keep an emergency cushion there, and consider putting money you will not need for years into investments that can beat inflation.`, category: 'investments', impact: 'negative', severity: 'medium', confidence: 0.75, sourceFactIds: f.ids('allocation.cashPercent', 'allocation.equityPercent'), expiresInDays: 30 });
    if (equity === undefined) return null;
    return insight({ title: 'How your assets are spread', description: `${f.show('allocation.equityPercent')} of your total assets is in equity${cash !== undefined ? ` and ${f.show('allocation.cashPercent')} in cash` : ''}. Check that this mix suits how soon you will need the money.`, category: 'investments', impact: 'neutral', severity: 'info', confidence: 0.75, sourceFactIds: f.ids('allocation.equityPercent', 'allocation.cashPercent'), expiresInDays: 30 });
  },
  // Largest spending category.
  (f) => {
    const category = f.text('cashflow.topSpendingCategory');
    if (category === undefined || !(category in CATEGORY_WORDS)) return null;
    const amountId = `cashflow.spending.${category}Rupees`;
    if (f.num(amountId) === undefined) return null;
    const words = CATEGORY_WORDS[category as Category];
    const period = f.num('cashflow.periodMonths') !== undefined ? ` over the ${f.show('cashflow.periodMonths')} your bank data covers` : '';
    return insight({ title: 'Where most of your money goes', description: `Your largest spending category is ${words}: ${f.show(amountId)}${period}.`, category: 'spending', impact: 'neutral', severity: 'info', confidence: 0.8, sourceFactIds: f.ids('cashflow.topSpendingCategory', amountId, 'cashflow.periodMonths'), expiresInDays: 30 });
  },
  // Net worth.
  (f) => {
    const nw = f.num('networth.totalRupees');
    if (nw === undefined) return null;
    const split = f.num('networth.assetsRupees') !== undefined && f.num('networth.liabilitiesRupees') !== undefined ? `: assets of ${f.show('networth.assetsRupees')} less liabilities of ${f.show('networth.liabilitiesRupees')}` : '';
    if (nw < 0)
      return insight({ title: 'Your debts are larger than your assets', description: `Your net worth is ${f.show('networth.totalRupees')}${split}. Paying down the costliest debt first is the quickest way to turn this around.`, category: 'debt', impact: 'negative', severity: 'medium', confidence: 0.85, sourceFactIds: f.ids('networth.totalRupees', 'networth.assetsRupees', 'networth.liabilitiesRupees'), expiresInDays: 30 });
    return insight({ title: 'Your net worth today', description: `Your net worth is ${f.show('networth.totalRupees')}${split}.`, category: 'savings', impact: 'neutral', severity: 'info', confidence: 0.9, sourceFactIds: f.ids('networth.totalRupees', 'networth.assetsRupees', 'networth.liabilitiesRupees'), expiresInDays: 30 });
  },
];

/**
 * Insights from facts, most severe first (template order among equals), at most
 * `MAX_LOCAL_INSIGHTS`. Every number in a title or description is a fact's value as
 * `formatFigure` writes it, and every insight cites the facts it quotes.
 */
export function insightsFromFacts(facts: readonly Fact[]): ModelInsight[] {
  const index = new FactIndex(facts);
  return TEMPLATES.map((t) => t(index))
    .filter((i): i is ModelInsight => i !== null)
    .map((i, order) => ({ i, order }))
    .sort((a, b) => SEVERITY_RANK[a.i.severity] - SEVERITY_RANK[b.i.severity] || a.order - b.order)
    .slice(0, MAX_LOCAL_INSIGHTS)
    .map(({ i }) => i);
}

// ---------------------------------------------------------------------------------------
// The provider

const textOf = (message: LlmMessage | undefined): string =>
  (message?.parts ?? [])
    .map((p) => ('text' in p ? p.text : ''))
    .filter((t) => t !== '')
    .join('\n');

const functionResponsesOf = (message: LlmMessage | undefined): Array<{ name: string; response: unknown }> =>
  (message?.parts ?? []).flatMap((p) => ('functionResponse' in p ? [{ name: p.functionResponse.name, response: p.functionResponse.response }] : []));

/** Cuts a text to about `maxTokens` at a word boundary. */
function cut(text: string, maxTokens: number | undefined): { text: string; cut: boolean } {
  if (maxTokens === undefined || approxTokens(text) <= maxTokens) return { text, cut: false };
  const limit = Math.max(0, maxTokens * 4);
  const head = text.slice(0, limit);
  const space = head.lastIndexOf(' ');
  return { text: space > 0 ? head.slice(0, space) : head, cut: true };
}

/** Splits a text into a few chunks at spaces; their concatenation is the text. */
export function chunks(text: string, count = 4): string[] {
  if (text === '') return [];
  const size = Math.max(1, Math.ceil(text.length / count));
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const space = text.indexOf(' ', end);
    end = end >= text.length ? text.length : space === -1 ? text.length : space + 1;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

export class LocalLlm implements Llm {
  readonly provider = 'local' as const;
  readonly model = LOCAL_MODEL;
  private readonly clock: Clock;

  constructor(options: LocalLlmOptions = {}) {
    this.clock = options.clock ?? { now: () => new Date() };
  }

  /**
   * One turn, deterministic for a given request and clock. Never fails for a well-formed
   * request: what it cannot answer it declines in words, never with an `AI.*` error.
   */
  async generate(request: LlmRequest): Promise<LlmResponse> {
    return this.respond(request);
  }

  /** The same response as `generate`, its text in a few chunks, then `done`. */
  async *stream(request: LlmRequest): AsyncIterable<LlmStreamEvent> {
    const response = this.respond(request);
    for (const delta of chunks(response.text)) yield { kind: 'text', delta };
    yield { kind: 'done', response };
  }

  private respond(request: LlmRequest): LlmResponse {
    const inputTokens = approxTokens(request.system + JSON.stringify(request.messages) + (request.tools ? JSON.stringify(request.tools) : '') + (request.responseSchema ? JSON.stringify(request.responseSchema) : ''));
    const last = request.messages[request.messages.length - 1];
    const finish = (text: string, functionCalls: readonly LlmFunctionCall[] = []): LlmResponse => {
      const out = functionCalls.length > 0 ? { text, cut: false } : cut(text, request.maxOutputTokens);
      return {
        provider: this.provider,
        model: this.model,
        text: out.text,
        functionCalls,
        finishReason: functionCalls.length > 0 ? 'tool_calls' : out.cut ? 'max_tokens' : 'stop',
        usage: { inputTokens, outputTokens: approxTokens(out.text + (functionCalls.length > 0 ? JSON.stringify(functionCalls) : '')) },
      };
    };

    if (request.responseSchema) {
      const userText = [...request.messages].reverse().find((m) => m.role === 'user' && textOf(m) !== '');
      const insights = insightsFromFacts(parseFactsPrompt(textOf(userText)));
      // Within the output budget, drop the least important insights rather than cut the JSON.
      while (insights.length > 0 && request.maxOutputTokens !== undefined && approxTokens(JSON.stringify({ insights })) > request.maxOutputTokens) insights.pop();
      const json = JSON.stringify({ insights });
      return { provider: this.provider, model: this.model, text: json, functionCalls: [], finishReason: 'stop', usage: { inputTokens, outputTokens: approxTokens(json) } };
    }

    const responses = functionResponsesOf(last);
    if (last?.role === 'user' && responses.length > 0) {
      const question = textOf([...request.messages].reverse().find((m) => m.role === 'user' && textOf(m) !== ''));
      const now = this.clock.now();
      return finish(responses.map((r) => answerFromResult(r.name, r.response, question, now)).join('\n'));
    }

    const question = last?.role === 'user' ? textOf(last) : '';
    const today = new Date(this.clock.now().getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
    const intent = question === '' ? ({ kind: 'decline', reason: 'no-rule' } as const) : intentOf(question, request.toolChoice === 'none' ? [] : (request.tools ?? []), { today });
    if (intent.kind === 'call') return finish('', [{ id: 'local-call-1', name: intent.name, args: intent.args }]);
    return finish(DECLINE_TEXT[intent.reason]);
  }
}
