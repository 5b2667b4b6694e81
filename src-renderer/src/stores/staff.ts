// Staff accounts for the organisation administrator: the list, and changes that answer with the updated account.
// No password or one-time-code key ever passes here: the person sets their own through an invitation link.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CreatedStaff, Role, StaffAccount } from '@shared/contract';
import { call } from '../api';

export interface NewStaffInput {
  username: string;
  displayName: string;
  role: Role;
  hsaId?: string;
  unitIds?: number[];
  email?: string;
  mobile?: string;
}

export interface StaffChange {
  id: number;
  role?: Role;
  unitIds?: number[];
  email?: string | null;
  mobile?: string | null;
  disabled?: boolean;
  unlock?: true;
}

export const useStaffStore = defineStore('staff', () => {
  const accounts = ref<StaffAccount[]>([]);

  function replace(account: StaffAccount): StaffAccount {
    accounts.value = accounts.value.map((existing) => (existing.id === account.id ? account : existing));
    return account;
  }

  async function load(): Promise<void> {
    accounts.value = await call('staff.list', {});
  }

  async function create(input: NewStaffInput): Promise<CreatedStaff> {
    const created = await call('staff.create', input);
    accounts.value = [...accounts.value, created.account];
    return created;
  }

  async function update(change: StaffChange): Promise<StaffAccount> {
    return replace(await call('staff.update', change));
  }

  async function sendInvitation(id: number): Promise<StaffAccount> {
    return replace(await call('staff.sendInvitation', { id }));
  }

  async function resetOtp(id: number): Promise<StaffAccount> {
    return replace(await call('staff.resetOtp', { id }));
  }

  return { accounts, load, create, update, sendInvitation, resetOtp };
});
