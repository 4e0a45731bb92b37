/**
 * How an SMS body travels: GSM-7 when every character is in the GSM 03.38 alphabet (extension characters take two
 * septets), UCS-2 otherwise. One segment holds 160 septets / 70 UTF-16 units; a concatenated message loses room
 * to its header: 153 / 67 per segment. Pure.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The encoding and number of segments a provider bills for this body. */
export function smsSegments(body: string): { encoding: SmsEncoding; segments: number } {
  let septets = 0;
  for (const char of body) {
    if (BASIC.has(char)) septets += 1;
    else if (EXTENDED.has(char)) septets += 2;
    else return { encoding: 'UCS-2', segments: count(body.length, 70, 67) };
  }
  return { encoding: 'GSM-7', segments: count(septets, 160, 153) };
}

function count(units: number, single: number, perPart: number): number {
  return units <= single ? 1 : Math.ceil(units / perPart);
}

/** The most characters one API message may carry (Twilio's Body limit); a provider splits it into segments. */
export const MAX_MESSAGE_CHARS = 1600;

/**
 * Splits a long text into messages of at most `max` characters, at a blank when one is near, so that each can be
 * sent as one API message (which the provider concatenates from segments on the phone).
 */
export function splitMessage(text: string, max = MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const blank = rest.lastIndexOf(' ', max);
    // Never between the two halves of a surrogate pair (an emoji).
    const hard = /[\uD800-\uDBFF]/.test(rest[max - 1]!) ? max - 1 : max;
    const cut = blank > max * 0.8 ? blank : hard;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
