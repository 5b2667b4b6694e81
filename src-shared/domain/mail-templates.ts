// E-mail templates: the Swedish defaults, the variables each may use, and the check that refuses a malformed one at save time.

export const MAIL_TEMPLATE_NAMES = ['card-ready', 'certificate-expiry', 'return-reminder', 'audit-anchor', 'staff-invitation'] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number];

export interface MailTemplateText {
  subject: string;
  body: string;
}

/** The placeholders each template may name; anything else is a typo that would reach the reader as '{{…}}'. */
export const MAIL_TEMPLATE_VARIABLES: Record<MailTemplateName, readonly string[]> = {
  'card-ready': ['namn', 'station', 'adress', 'kortnummer'],
  'certificate-expiry': ['namn', 'kortnummer', 'slutdatum'],
  'return-reminder': ['namn', 'anstallningSlut', 'station'],
  'audit-anchor': ['station', 'rad', 'tid', 'ankare'],
  'staff-invitation': ['namn', 'anvandarnamn', 'lank', 'giltigTill'],
};

/** Placeholders a template must keep: the anchor mail is worthless without the anchor line itself. */
export const MAIL_TEMPLATE_REQUIRED: Partial<Record<MailTemplateName, readonly string[]>> = {
  'audit-anchor': ['ankare'],
  // without the link the invitation invites to nothing
  'staff-invitation': ['lank'],
};

export const DEFAULT_MAIL_TEMPLATES: Record<MailTemplateName, MailTemplateText> = {
  'card-ready': {
    subject: 'Ditt eTjänstekort är klart att hämta',
    body: 'Hej {{namn}}!\n\nDitt eTjänstekort ({{kortnummer}}) är klart att hämta på {{station}}, {{adress}}.\nTa med giltig ID-handling och ditt kuvert med PIN-koder, som skickats till din folkbokföringsadress.\n\nVänliga hälsningar\nKortstationen',
  },
  'certificate-expiry': {
    subject: 'Certifikaten på ditt eTjänstekort slutar gälla {{slutdatum}}',
    body: 'Hej {{namn}}!\n\nCertifikaten på ditt eTjänstekort ({{kortnummer}}) slutar gälla {{slutdatum}}.\nHämta nya certifikat till kortet i god tid, så att du kan fortsätta logga in. Är kortet äldre än fem år beställer du i stället ett nytt kort.\n\nVänliga hälsningar\nKortstationen',
  },
  'return-reminder': {
    subject: 'Påminnelse: lämna tillbaka eTjänstekort och dosa',
    body: 'Hej {{namn}}!\n\nDin anställning upphör {{anstallningSlut}}. Senast den dagen ska du lämna tillbaka\n- ditt eTjänstekort, ituklippt, till din närmaste chef\n- din dosa, om du har en, till den enhet du fick den från.\n\nVänliga hälsningar\nKortstationen',
  },
  'audit-anchor': {
    subject: 'Granskningsloggens ankare från {{station}}',
    body: 'Granskningsloggen på {{station}} hade {{rad}} händelser {{tid}}.\nSpara raden nedan som en fil utanför kortstationen. Med den visar "cli audit verify --anchor FIL" att inget före ankaret har ändrats.\n\n{{ankare}}\n\nKortstationen',
  },
  'staff-invitation': {
    subject: 'Ditt konto i Kortstationen',
    body: 'Hej {{namn}}!\n\nDu har fått ett konto i Kortstationen med användarnamnet {{anvandarnamn}}.\nÖppna länken nedan, välj ett eget lösenord och koppla din engångskod:\n\n{{lank}}\n\nLänken fungerar en gång och gäller till {{giltigTill}}. Har den gått ut ber du din administratör om en ny.\n\nVänliga hälsningar\nKortstationen',
  },
};

export type TemplateProblem = { kind: 'unbalanced'; at: number } | { kind: 'unknown-variable'; name: string } | { kind: 'missing-variable'; name: string };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every problem in one text: braces that do not pair up as '{{name}}', and names the template does not offer. */
export function templateProblems(text: string, allowed: readonly string[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!allowed.includes(name)) problems.push({ kind: 'unknown-variable', name });
  }
  // what is left once every well-formed placeholder is taken out must hold no brace at all
  const rest = text.replace(PLACEHOLDER, (whole) => ' '.repeat(whole.length));
  const stray = rest.search(/[{}]/);
  if (stray >= 0) problems.push({ kind: 'unbalanced', at: stray });
  return problems;
}

/** The required placeholders a template's subject and body together leave out. */
export function missingVariables(subject: string, body: string, required: readonly string[]): TemplateProblem[] {
  const used = new Set([...`${subject}\n${body}`.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''));
  return required.filter((name) => !used.has(name)).map((name) => ({ kind: 'missing-variable', name }));
}

/** Every problem of a template's subject and body, with the part it is in (none for a required variable left out). */
export function problemsOfTemplate(name: MailTemplateName, subject: string, body: string): { part: 'subject' | 'body' | null; problem: TemplateProblem }[] {
  const allowed = MAIL_TEMPLATE_VARIABLES[name];
  return [
    ...templateProblems(subject, allowed).map((problem) => ({ part: 'subject' as const, problem })),
    ...templateProblems(body, allowed).map((problem) => ({ part: 'body' as const, problem })),
    ...missingVariables(subject, body, MAIL_TEMPLATE_REQUIRED[name] ?? []).map((problem) => ({ part: null, problem })),
  ];
}

export function describeTemplateProblem(problem: TemplateProblem): string {
  if (problem.kind === 'unbalanced') return `unbalanced brace at position ${problem.at}`;
  return problem.kind === 'unknown-variable' ? `unknown variable "{{${problem.name}}}"` : `the variable "{{${problem.name}}}" is required`;
}

/** Fills a template already checked by templateProblems; a missing value becomes empty rather than '{{…}}'. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => values[name] ?? '');
}
