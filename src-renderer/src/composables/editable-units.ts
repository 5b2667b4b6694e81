// Where the logged-in staff member may change things, so a read-only unit administrator sees no button that main would refuse anyway.
import { computed, onMounted, ref } from 'vue';
import type { EditableUnits } from '@shared/contract';
import { call } from '../api';

export function useEditableUnits() {
  const rights = ref<EditableUnits | null>(null);
  onMounted(async () => {
    rights.value = await call('units.editable', {}).catch(() => ({ all: false, unitIds: [] }));
  });
  /** Unknown until asked: no edit buttons flash up before the answer. */
  const mayEditAny = computed(() => rights.value !== null && (rights.value.all || rights.value.unitIds.length > 0));
  const mayEditUnit = (unitId: number): boolean => rights.value !== null && (rights.value.all || rights.value.unitIds.includes(unitId));
  return { rights, mayEditAny, mayEditUnit };
}
