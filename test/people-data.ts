// Made-up but valid people for tests and benchmarks: personnummer with a correct check digit, HSA-IDs of a real-format owner.
const FIRST_NAMES = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Anders', 'Sara', 'Per', 'Åsa', 'Örjan', 'Linnéa', 'Mohammed', 'Fatima', 'Nils', 'Ingrid', 'Olof', 'Emma', 'Ali'];
const SURNAMES = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Åberg', 'Öberg', 'Lindqvist', 'Berg', 'Hassan', 'Ek', 'Sandström', 'Holm', 'Wikström', 'Lundgren'];
// Region Uppsala's organisation number, Luhn-valid: the owner part of every made-up HSA-ID.
export const HSA_OWNER = 'SE2321000016';

function luhnCheckDigit(digits: string): string {
  let sum = 0;
  [...digits].forEach((char, index) => {
    const value = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += value > 9 ? value - 9 : value;
  });
  return String((10 - (sum % 10)) % 10);
}

/** A distinct valid 12-digit personnummer for every n below 20 million, born 1940–1999. */
export function personnummerFor(n: number): string {
  const year = 1940 + (n % 60);
  const month = 1 + (Math.floor(n / 60) % 12);
  const day = 1 + (Math.floor(n / 720) % 28);
  const serial = 1 + (Math.floor(n / 20_160) % 999);
  const tenWithoutCheck = `${String(year).slice(2)}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
  return `${String(year).slice(0, 2)}${tenWithoutCheck}${luhnCheckDigit(tenWithoutCheck)}`;
}

/** The same number with a wrong check digit. */
export function withWrongCheckDigit(personnummer: string): string {
  const last = Number(personnummer.slice(-1));
  return `${personnummer.slice(0, -1)}${(last + 1) % 10}`;
}

export interface TestPerson {
  firstName: string;
  surname: string;
  personnummer: string;
  hsaId: string;
  username: string;
  email: string;
  mobile: string;
}

export function testPerson(n: number): TestPerson {
  const firstName = FIRST_NAMES[n % FIRST_NAMES.length]!;
  const surname = SURNAMES[Math.floor(n / FIRST_NAMES.length) % SURNAMES.length]!;
  return {
    firstName,
    surname,
    personnummer: personnummerFor(n),
    hsaId: `${HSA_OWNER}-p${n.toString(36)}`,
    username: `u${n.toString(36).padStart(5, '0')}`,
    email: `person${n}@example.se`,
    mobile: `070${String(1_000_000 + (n % 9_000_000)).padStart(7, '0')}`,
  };
}

export const TEMPLATE_HEADER = 'Förnamn;Efternamn;Personnummer;HSA-id;Användarnamn;E-post;Mobil;Enhet;Anställningsform;Slutdatum';

/** One template CSV line (semicolons, no quoting needed for these values). */
export function csvLine(person: TestPerson, unit = '', employmentType = 'Region', end = ''): string {
  return [person.firstName, person.surname, person.personnummer, person.hsaId, person.username, person.email, person.mobile, unit, employmentType, end].join(';');
}
