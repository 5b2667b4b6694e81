// `cli audit verify [--anchor FILE]` checks the keyed chain (exit 1 when broken); `anchor FILE` exports the head; `export FILE` writes CSV; `anchor-mail` sets the daily anchor's address.
import { readFileSync, writeFileSync } from 'node:fs';
import { appendAudit, AuditInputError, auditKeyMatches } from '../audit/audit';
import { exportAuditTrail, type AuditFilters } from '../audit/read';
import { verifyAudit, type AuditVerification } from '../audit/verify';
import { anchorText, AuditAnchorError, createAnchor, parseAnchor, verifyAgainstAnchor, type AnchoredVerification, type AnchorProblem } from '../audit/anchor';
import { setAnchorMailAddress } from '../audit/anchor-mail';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { withRegister } from './database';
import { cliCaller } from './identity';
import { withProgressLine } from './progress-line';

const USAGE = `Usage: cli audit verify [--anchor FILE] [--json]
       cli audit anchor FILE
       cli audit anchor-mail ADDRESS|off
       cli audit export FILE [--from DATE] [--to DATE (exclusive)] [--action CODE] [--data DIR]`;

const ANCHOR_PROBLEMS: Record<AnchorProblem, string> = {
  'anchor-forged': 'the anchor file was edited, or it was made with another station\'s key',
  'row-missing': 'the anchored entry is no longer in the trail',
  'row-changed': 'the anchored entry\'s hash differs: an entry up to it was changed, removed, added or reordered',
  'chain-broken': 'the chain breaks at or before the anchored entry',
};

function describeVerification(result: AuditVerification | AnchoredVerification, keyMatches: boolean): string {
  const lines = [
    result.firstBadRow === null
      ? `The audit trail's chains are intact: ${result.rows} entries.`
      : `The audit trail was changed: entry ${result.firstBadRow} is altered, missing or out of place (${result.rows} entries).`,
  ];
  // a region's trail is one chain per station: say which one broke
  if (result.chains.length > 1) for (const chain of result.chains) lines.push(`  ${chain.chain || '(rows of no station)'}: ${chain.firstBadRow === null ? `intact, ${chain.rows} entries` : `changed from entry ${chain.firstBadRow} (${chain.rows} entries)`}`);
  if (!keyMatches) lines.push('The trail is chained under another key than this program holds (e.g. the kiosk\'s sealed key): run the check where that key is.');
  if ('anchor' in result) {
    const { rowId, problem } = result.anchor;
    lines.push(problem === null ? `Nothing up to the anchored entry ${rowId} has changed.` : `The anchor at entry ${rowId} does not hold: ${ANCHOR_PROBLEMS[problem]}.`);
  }
  return lines.join('\n');
}

function readAnchor(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError('file-unreadable', `Cannot read ${file}.`, 1);
  }
  try {
    return parseAnchor(text);
  } catch (error) {
    if (error instanceof AuditAnchorError) throw new CliError(error.code, `${file}: ${error.message}`, 1);
    throw error;
  }
}

function verify(invocation: CliInvocation): Promise<CliResult> {
  const anchor = typeof invocation.values.anchor === 'string' ? readAnchor(invocation.values.anchor) : null;
  return withRegister(invocation, async (db) => {
    const result = anchor ? await verifyAgainstAnchor(db, anchor) : await verifyAudit(db);
    return { output: result, text: describeVerification(result, await auditKeyMatches(db)), exitCode: result.ok ? 0 : 1 };
  });
}

function anchorTo(file: string, invocation: CliInvocation): Promise<CliResult> {
  return withRegister(invocation, async (db) => {
    const caller = await cliCaller(db);
    let anchor;
    try {
      anchor = await createAnchor(db, caller.station, caller.now);
    } catch (error) {
      if (error instanceof AuditAnchorError) throw new CliError(error.code, error.message, 1);
      throw error;
    }
    try {
      writeFileSync(file, `${anchorText(anchor)}\n`, { flag: 'wx' });
    } catch {
      throw new CliError('file-unwritable', `Cannot write ${file} (it must not exist yet).`, 1);
    }
    await appendAudit(db, { station: caller.station, actor: caller.actor, action: 'audit.anchored', outcome: 'ok', details: { rowId: anchor.rowId, via: 'file' }, at: caller.now });
    return { output: { file, rowId: anchor.rowId, hash: anchor.hash }, text: `Anchored the audit trail at entry ${anchor.rowId} in ${file}. Keep the file away from this station.` };
  });
}

function anchorMail(address: string, invocation: CliInvocation): Promise<CliResult> {
  return withRegister(invocation, async (db) => {
    try {
      const to = await setAnchorMailAddress(db, address === 'off' ? null : address, await cliCaller(db));
      return { output: { to }, text: to ? `The audit anchor is e-mailed daily to ${to}.` : 'The daily audit anchor e-mail is off.' };
    } catch (error) {
      if (error instanceof AuditInputError) throw new CliError('usage', `${error.message}\n${USAGE}`, 64);
      throw error;
    }
  });
}

function optionalString(value: CliInvocation['values'][string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

async function exportTo(file: string, invocation: CliInvocation): Promise<CliResult> {
  const { values } = invocation;
  const filters: AuditFilters = { from: optionalString(values.from), to: optionalString(values.to), action: optionalString(values.action) };
  try {
    const { csv, rows } = await withRegister(invocation, async (db) => {
      const by = await cliCaller(db);
      return withProgressLine(invocation, 'Exporting audit entries', (progress) => exportAuditTrail(db, filters, by, progress));
    });
    try {
      writeFileSync(file, csv);
    } catch {
      throw new CliError('file-unwritable', `Cannot write ${file}.`, 1);
    }
    return { output: { file, rows }, text: `Wrote ${rows} audit entries to ${file}.` };
  } catch (error) {
    if (error instanceof AuditInputError) throw new CliError('usage', `${error.message}\n${USAGE}`, 64);
    throw error;
  }
}

export const auditCommand: CliCommand = {
  summary: 'audit verify [--anchor FILE] | anchor FILE | anchor-mail ADDRESS|off | export FILE: check, anchor or export the audit trail',
  options: { from: { type: 'string' }, to: { type: 'string' }, action: { type: 'string' }, anchor: { type: 'string' } },
  async run(invocation) {
    const [action, argument] = invocation.positionals;
    if (action === 'verify') return verify(invocation);
    if (action === 'anchor' && argument) return anchorTo(argument, invocation);
    if (action === 'anchor-mail' && argument) return anchorMail(argument, invocation);
    if (action === 'export' && argument) return exportTo(argument, invocation);
    throw new CliError('usage', USAGE, 64);
  },
};
