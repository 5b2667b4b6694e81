// People: search as you type, one person's record, and importing a filled-in template (preview first, then all or nothing).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ImportReport, PersonDetail, PersonSummary, TemplateFile } from '@shared/contract';
import { call } from '../api';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}

export interface ImportPreview {
  fileName: string;
  contentBase64: string;
  report: ImportReport;
}

export const usePeopleStore = defineStore('people', () => {
  const query = ref('');
  const hits = ref<PersonSummary[]>([]);
  const person = ref<PersonDetail | null>(null);
  const preview = ref<ImportPreview | null>(null);
  let latestSearch = 0;

  /** Answers can overtake each other while typing: only the newest query's answer is shown. */
  async function search(text: string): Promise<void> {
    query.value = text;
    const ticket = ++latestSearch;
    const found = await call('people.search', { query: text.slice(0, 100) });
    if (ticket === latestSearch) hits.value = found;
  }

  async function load(id: number): Promise<void> {
    person.value = null;
    person.value = await call('people.get', { id });
  }

  /** A check of the file that writes nothing; once `signal` is aborted its answer is dropped, as if never asked. */
  async function previewFile(file: File, signal?: AbortSignal): Promise<ImportReport> {
    preview.value = null;
    const contentBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    const report = await call('people.importPreview', { fileName: file.name, contentBase64 });
    signal?.throwIfAborted();
    preview.value = { fileName: file.name, contentBase64, report };
    return report;
  }

  /** Saves the previewed file as job `jobId`, whose progress the station reports to this window. */
  async function importPreviewed(jobId?: string): Promise<ImportReport> {
    if (!preview.value) throw new Error('Choose a file first');
    const { fileName, contentBase64 } = preview.value;
    const report = await call('people.import', { fileName, contentBase64, jobId });
    preview.value = null;
    return report;
  }

  function template(format: 'xlsx' | 'csv'): Promise<TemplateFile> {
    return call('people.template', { format });
  }

  return { query, hits, person, preview, search, load, previewFile, importPreviewed, template };
});
