/**
 * How WhatsApp patients are known to the system of record: `<lid>@lid` (the stable id) and
 * `<number>@s.whatsapp.net` (their phone number, when WhatsApp told us). Pure, without Baileys,
 * so the privacy command can use it with WhatsApp disabled.
 */

/**
 * What someone may type for a patient ("+351 912 345 678", "351912345678@s.whatsapp.net",
 * "123456789012345@lid", or bare digits) → the identities to look up, most likely first.
 */
export function whatsappIdCandidates(input: string): string[] {
  const text = input.trim();
  const lid = /^(\d+)(?::\d+)?@lid$/.exec(text);
  if (lid) return [`${lid[1]}@lid`];
  const pn = /^(\d+)(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/.exec(text);
  if (pn) return [`${pn[1]}@s.whatsapp.net`];
  const compact = text.replace(/[\s().-]/g, '');
  const international = /^(?:\+|00)(\d{6,15})$/.exec(compact);
  if (international) return [`${international[1]}@s.whatsapp.net`];
  // Bare digits could be either: a phone number in international form, or a LID.
  if (/^\d{6,20}$/.test(compact)) return [`${compact}@s.whatsapp.net`, `${compact}@lid`];
  return [text];
}

/** "351912345678@s.whatsapp.net" / "1234@lid" → "351912345678" / "1234": the user id signal keys are filed under. */
export function whatsappUser(externalId: string): string | null {
  return /^(\d+)(?::\d+)?@/.exec(externalId)?.[1] ?? null;
}
