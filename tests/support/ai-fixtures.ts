import type { Firestore } from '@google-cloud/firestore';
import { FirestoreAuditLog } from '../../shared/adapters/firestore/firestore-audit.log.js';
import { FirestoreConsentRepo } from '../../shared/adapters/firestore/firestore-consent.repo.js';
import { FirestoreFinancialStore } from '../../shared/adapters/firestore/firestore-financial.store.js';
import type { Consent, ConsentScope } from '../../shared/contracts/consents.js';
import { FI_TOOLS, type FiTool } from '../../shared/contracts/fi.js';
import type { Transaction } from '../../shared/domain/fi/types.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { FinancialData, SourceState } from '../../shared/ports/financial-store.js';
import { grantConsent } from '../../shared/usecases/consents.usecase.js';
import { buildReadModels, snapshotOf } from '../../shared/usecases/read-models.js';
import { personaInput, rawPersona } from './persona-data.js';

/**
 * Seeds a user's committed financial data from a dev persona straight into Firestore, as a
 * successful sync would leave it (staged transactions per source, then one commit with the
 * read models built by `buildReadModels`), and grants consent through the use case. No Fi
 * server, no sync run: the AI tests start from committed data.
 */

const TOOL_OF_KIND: Record<Transaction['kind'], FiTool> = { bank: 'fetch_bank_transactions', mf: 'fetch_mf_transactions', stock: 'fetch_stock_transactions' };

export const ALL_SCOPES: readonly ConsentScope[] = ['net_worth', 'transactions', 'credit_report', 'epf'];

export interface SeededUser {
  readonly uid: string;
  readonly phone: string;
  readonly consent: Consent;
  /** The committed views (what the tools read). */
  readonly views: ReturnType<typeof buildReadModels>;
}

/**
 * Commits persona `phone`'s data for `uid` (generation 1, fetched at `clock.now()`) and grants
 * `scopes` (all by default) for 30 days. Idempotent per uid only in the sense that a second
 * call commits the same generation again.
 */
export async function seedPersona(db: Firestore, clock: Clock, uid: string, phone: string, scopes: readonly ConsentScope[] = ALL_SCOPES): Promise<SeededUser> {
  const store = new FirestoreFinancialStore(db);
  const now = clock.now();
  const fetchedAt = now.toISOString();
  const input = personaInput(phone);
  const gen = (await store.read(uid)).committedGen + 1;
  const byTool = new Map<FiTool, Transaction[]>();
  for (const t of input.transactions) {
    const tool = TOOL_OF_KIND[t.kind];
    byTool.set(tool, [...(byTool.get(tool) ?? []), t]);
  }
  for (const [tool, txns] of byTool) await store.stageTransactions(uid, gen, tool, txns);
  const sources: Partial<Record<FiTool, SourceState>> = {};
  for (const tool of FI_TOOLS) {
    const present = rawPersona(phone, tool) !== undefined;
    sources[tool] = present ? { status: 'ok', fetchedAt, count: byTool.get(tool)?.length ?? 1 } : { status: 'empty', fetchedAt, count: 0 };
  }
  const data: FinancialData = {
    committedGen: gen,
    sources,
    accounts: input.accounts,
    holdings: input.holdings,
    netWorth: input.netWorth,
    creditReport: input.creditReport,
    epf: input.epf,
  };
  const transactions = await store.allTransactions(uid, gen);
  const views = buildReadModels(data, now, transactions);
  await store.commit(uid, { gen, data, views, snapshot: snapshotOf(data, now) });
  const consent = await grantConsent({ consents: new FirestoreConsentRepo(db), audit: new FirestoreAuditLog(db), clock }, uid, { scopes: [...scopes], purpose: 'personal_finance_insights', dataLifeDays: 30 }, 'test-seed');
  return { uid, phone, consent, views };
}
