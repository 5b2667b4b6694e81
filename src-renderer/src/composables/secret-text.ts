// Text a person types that must not outlive the screen it was typed on (passwords, one-time codes): emptied when the screen closes.
import { onUnmounted, ref, type Ref } from 'vue';

export function useSecretText(): Ref<string> {
  const text = ref('');
  onUnmounted(() => (text.value = ''));
  return text;
}
