// OTP tokens: the stock, the defective list and every counter flow; codes pass straight through to main and are never kept.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProcedureInput, TokenCheckResult, TokenHistory, TokenImportResult, TokenInfo, TokenLostResult, TokenStockRow } from '@shared/contract';
import { call } from '../api';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}

export interface TokenFileProtection {
  preSharedKeyHex?: string;
  password?: string;
}

export const useTokensStore = defineStore('tokens', () => {
  const stock = ref<TokenStockRow[]>([]);
  const defective = ref<TokenInfo[]>([]);

  async function loadStock(): Promise<void> {
    stock.value = await call('tokens.stock', {});
  }

  async function loadDefective(): Promise<void> {
    defective.value = await call('tokens.defective', {});
  }

  /** Imports the file as job `jobId`, whose progress the station reports to this window. */
  async function importFile(file: File, unitReference: string, protection: TokenFileProtection, jobId?: string): Promise<TokenImportResult> {
    const contentBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    const reference = unitReference.trim();
    const result = await call('tokens.import', { contentBase64, ...(reference ? { unitReference: reference } : {}), ...protection, jobId });
    await loadStock();
    return result;
  }

  async function markSent(serials: string[]): Promise<number> {
    const { marked } = await call('tokens.markSent', { serials });
    await Promise.all([loadDefective(), loadStock()]);
    return marked;
  }

  const issue = (request: ProcedureInput<'tokens.issue'>): Promise<TokenInfo> => call('tokens.issue', request);
  const check = (serial: string, code: string): Promise<TokenCheckResult> => call('tokens.check', { ...(serial.trim() ? { serial: serial.trim() } : {}), code });
  const returnToStock = (serial: string): Promise<TokenInfo> => call('tokens.return', { serial });
  const reportLost = (serial: string, chargeTo: 'person' | 'unit'): Promise<TokenLostResult> => call('tokens.lost', { serial, chargeTo });
  const swapDefective = (request: ProcedureInput<'tokens.swapDefective'>): Promise<TokenInfo> => call('tokens.swapDefective', request);
  const ofPerson = (personId: number): Promise<TokenInfo[]> => call('tokens.forPerson', { personId });
  const history = (serial: string): Promise<TokenHistory> => call('tokens.history', { serial });

  return { stock, defective, loadStock, loadDefective, importFile, markSent, issue, check, returnToStock, reportLost, swapDefective, ofPerson, history };
});
