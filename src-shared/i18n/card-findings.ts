// Card-test findings added for cards of other layouts (issue 15): Swedish first, English with the same keys; {atr} and {name} are filled in.
export const sv = {
  cardIdentified: 'Kortets ATR är {atr} — kortet ser ut att vara {name}, inte ett SITHS-kort.',
  cardUnidentified: 'Kortets ATR är {atr} — korttypen är okänd för kortstationen.',
  cardNotResponding: 'Kortet svarar inte — ta ut kortet, sätt i det igen och testa på nytt. Svarar det fortfarande inte, kontakta Servicedesk.',
};

export const en: typeof sv = {
  cardIdentified: "The card's ATR is {atr} — the card looks like {name}, not a SITHS card.",
  cardUnidentified: "The card's ATR is {atr} — the station does not know this kind of card.",
  cardNotResponding: 'The card does not answer — take it out, insert it again and test again. If it still does not answer, contact the Servicedesk.',
};

/** Fills {placeholders} the way vue-i18n's named interpolation does, for texts built outside the renderer. */
export function fillIn(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
