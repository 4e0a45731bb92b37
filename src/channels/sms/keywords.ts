/**
 * The carrier keywords an SMS sender must honour (CTIA, Twilio's defaults): the whole message, case and surrounding
 * blanks ignored. STOP and its synonyms opt out, START/UNSTOP opt back in, HELP asks who we are. Twilio's CANCEL
 * and YES are left out on purpose: in a conversation they answer "cancel the run?" and "start it?".
 */
const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  END: 'stop',
  QUIT: 'stop',
  OPTOUT: 'stop',
  REVOKE: 'stop',
  START: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

export type SmsKeyword = 'stop' | 'start' | 'help';

export function smsKeyword(text: string): SmsKeyword | null {
  return KEYWORDS[text.trim().toUpperCase()] ?? null;
}
