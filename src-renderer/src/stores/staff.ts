// Staff accounts for the organisation administrator: the list, and changes that answer with the updated account.
// Passwords and OTP URIs pass through here to the view only; nothing keeps them.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CreatedStaff, OtpEnrolment, Role, StaffAccount } from '@shared/contract';
import { call } from '../api';

export interface NewStaffInput {
  username: string;
  displayName: string;
  role: Role;
  hsaId?: string;
  unitIds?: number[];
  password?: string;
}

export interface StaffChange {
  id: number;
  role?: Role;
  unitIds?: number[];
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

  async function setPassword(id: number, password: string): Promise<StaffAccount> {
    return replace(await call('staff.setPassword', { id, password }));
  }

  async function resetOtp(id: number): Promise<OtpEnrolment> {
    const enrolment = await call('staff.resetOtp', { id });
    await load();
    return enrolment;
  }

  return { accounts, load, create, update, setPassword, resetOtp };
});
