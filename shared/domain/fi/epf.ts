import { sumPaise, type Paise } from '../money.js';
import { toIsoDate } from '../dates.js';
import { contentId, OccurrenceCounter } from './ids.js';
import type { EpfInput, EpfShareInput } from './input.js';
import { compact, readRupees, readString } from './read.js';
import { maskIdentifier, sanitiseUntrustedText } from './text.js';
import type { EpfAccount, EpfResult, EpfUanSummary, Skipped } from './types.js';

/** A share's current balance, or what was credited when Fi gives no balance. */
const shareOf = (share: EpfShareInput | undefined): Paise | undefined => readRupees(share?.balance) ?? readRupees(share?.credit);


/**
 * Normalises `fetch_epf_details`: one `EpfAccount` per establishment of every UAN, and one
 * summary per UAN. Amounts are rupee strings; dates `DD-MM-YYYY` (`"NOT AVAILABLE"` means
 * none). A share's amount is its `balance`, else its `credit`; an account's balance is
 * `net_balance`, else employee + employer share.
 *
 * Dormant rule: an account is dormant when the member has left that employer (`doe_epf`
 * is a real date, so no contribution can follow) and a positive balance is still there:
 * money worth transferring to the current employer's account.
 *
 * UANs and member ids are identifiers: the output holds them masked (`XX` + last four) and
 * the ids are hashes. Pure and total: an establishment with no readable balance at all is
 * listed in `skipped`.
 */
export function normaliseEpf(doc: EpfInput): EpfResult {
  const accounts: EpfAccount[] = [];
  const uans: EpfUanSummary[] = [];
  const skipped: Skipped[] = [];
  const occurrences = new OccurrenceCounter();
  doc.uanAccounts.forEach((uanAccount, uanIndex) => {
    const raw = uanAccount.rawDetails;
    const rawUan = readString(uanAccount.uan) ?? readString(raw?.uan);
    const uan = rawUan === undefined ? undefined : maskIdentifier(rawUan);
    const establishments = raw?.est_details ?? [];
    const path = `uanAccounts.${uanIndex}.rawDetails.est_details`;
    let counted = 0;
    establishments.forEach((est, index) => {
      const balance = est.pf_balance;
      const employeeSharePaise = shareOf(balance?.employee_share);
      const employerSharePaise = shareOf(balance?.employer_share);
      const net = readRupees(balance?.net_balance);
      const balancePaise = net ?? (employeeSharePaise === undefined && employerSharePaise === undefined ? undefined : (employeeSharePaise ?? 0) + (employerSharePaise ?? 0));
      if (balancePaise === undefined) return void skipped.push({ reason: 'establishment has no readable balance', index, path });
      const rawMember = readString(est.member_id);
      const key = JSON.stringify([rawUan ?? null, rawMember ?? null, est.est_name ?? null, est.doj_epf ?? null]);
      const exitedOn = toIsoDate(est.doe_epf);
      counted++;
      accounts.push(
        compact({
          id: contentId('epf', [key, occurrences.next(key)]),
          uan,
          memberId: maskIdentifier(rawMember),
          establishment: sanitiseUntrustedText(est.est_name, 200) ?? 'Unknown establishment',
          office: sanitiseUntrustedText(est.office, 100),
          joinedOn: toIsoDate(est.doj_epf),
          exitedOn,
          employeeSharePaise: employeeSharePaise ?? 0,
          employerSharePaise: employerSharePaise ?? 0,
          pensionPaise: readRupees(balance?.pension_balance),
          balancePaise,
          dormant: exitedOn !== undefined && balancePaise > 0,
          uanIndex,
        }),
      );
    });
    const overall = raw?.overall_pf_balance;
    uans.push(
      compact({
        uan,
        establishments: counted,
        pensionPaise: readRupees(overall?.pension_balance),
        currentPfBalancePaise: readRupees(overall?.current_pf_balance),
        employeeShareTotalPaise: shareOf(overall?.employee_share_total),
        employerShareTotalPaise: shareOf(overall?.employer_share_total),
      }),
    );
  });
  return { accounts, uans, totalBalancePaise: sumPaise(accounts.map((a) => a.balancePaise)) ?? 0, skipped };
}
