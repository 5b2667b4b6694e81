// The organisation's password rules, read once per screen, and the rules a typed password still breaks (the server checks again, and alone knows the history).
import { onMounted, ref } from 'vue';
import { checkNewPassword, DEFAULT_PASSWORD_RULES, type PasswordRejectionCode, type PasswordRuleSettings } from '@shared/domain/password-policy';
import { call } from '../api';

export function usePasswordRules(given?: PasswordRuleSettings) {
  const rules = ref<PasswordRuleSettings>(given ?? DEFAULT_PASSWORD_RULES);
  onMounted(async () => {
    if (!given) rules.value = await call('auth.passwordRules', {}).catch(() => rules.value);
  });
  const broken = (password: string): PasswordRejectionCode[] => checkNewPassword(password, { isReused: () => false, requireSpecial: rules.value.requireSpecial });
  return { rules, broken };
}
