import { readFileSync } from 'node:fs';
import { parseFiDocument } from './shared/contracts/fi.ts';
import { normaliseNetWorth, normaliseBankTransactions, normaliseEpf, normaliseCreditReport } from './shared/domain/fi/index.ts';
for (const p of ['9000000011', '9999999999']) {
  const r = parseFiDocument('fetch_net_worth', JSON.parse(readFileSync(`dev/fi-mcp/personas/${p}/fetch_net_worth.json`, 'utf8')));
  if (r.kind === 'document') { const n = normaliseNetWorth(r.document); console.log(p, n.holdings.filter(h => h.kind !== 'mutual_fund').map(h => [h.kind, h.name, h.units, h.valuePaise, h.currency]), n.skipped); }
}
const b = parseFiDocument('fetch_bank_transactions', JSON.parse(readFileSync('dev/fi-mcp/personas/9000000016/fetch_bank_transactions.json', 'utf8')));
if (b.kind === 'document') { const t = normaliseBankTransactions(b.document).transactions; console.log([...new Set(t.map(x => x.accountKey))]); for (const x of t.filter(x => /IGNORE|SYSTEM|!\[|script|Assistant|\u0000/i.test(x.narration ?? '')).slice(0, 6)) console.log(JSON.stringify(x.narration).slice(0, 200)); }
const e = parseFiDocument('fetch_epf_details', JSON.parse(readFileSync('dev/fi-mcp/personas/9000000010/fetch_epf_details.json', 'utf8')));
if (e.kind === 'document') console.log(JSON.stringify(normaliseEpf(e.document)));
const c = parseFiDocument('fetch_credit_report', JSON.parse(readFileSync('dev/fi-mcp/personas/6666666666/fetch_credit_report.json', 'utf8')));
if (c.kind === 'document') console.log(JSON.stringify(normaliseCreditReport(c.document).reports[0]?.accounts.slice(0,2)));
