import { describe, expect, it } from 'vitest';
import { smsKeyword } from '../../../src/channels/sms/keywords.ts';
import { smsSegments, splitMessage } from '../../../src/channels/sms/segments.ts';
import { twilioSignature, validTwilioSignature } from '../../../src/channels/sms/signature.ts';
import { twiml } from '../../../src/channels/sms/twiml.ts';

describe('Twilio request signatures', () => {
  // Twilio's documented example ("Validating requests are coming from Twilio"); the expected value was checked at
  // authoring time with: printf '%s' 'https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDE
  // Caller+12349013030Digits1234From+12349013030To+18005551212' | openssl dgst -sha1 -hmac 12345 -binary | base64
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it("matches Twilio's documented example", () => {
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(validTwilioSignature('12345', url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
  });

  it('refuses a missing signature, another token, another URL or a changed parameter', () => {
    const good = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(validTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(validTwilioSignature('54321', url, params, good)).toBe(false);
    expect(validTwilioSignature('12345', 'https://mycompany.com/myapp.php', params, good)).toBe(false);
    expect(validTwilioSignature('12345', url, { ...params, Digits: '1235' }, good)).toBe(false);
    expect(validTwilioSignature('12345', url, params, 'short')).toBe(false);
  });
});

describe('TwiML', () => {
  it('answers with escaped messages, or an empty response for no reply', () => {
    expect(twiml(['Tom & Jerry <3 "quotes"'])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Tom &amp; Jerry &lt;3 &quot;quotes&quot;</Message></Response>',
    );
    expect(twiml([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
});

describe('SMS segments', () => {
  it('counts GSM-7 at 160 for one segment and 153 per part beyond', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3 });
  });

  it('counts extension characters twice and switches to UCS-2 (70/67) for anything outside GSM-7', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('ł'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('ł'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(smsSegments('👍'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1 });
  });

  it('splits long texts into messages of at most 1600 characters at a blank, never inside an emoji', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const parts = splitMessage(words);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 1600 && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(parts.join(' ')).toBe(words);
    const emoji = splitMessage('👍'.repeat(1000));
    expect(emoji.join('')).toBe('👍'.repeat(1000));
    expect(emoji.every((p) => p.length <= 1600 && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });
});

describe('carrier keywords', () => {
  it('recognises STOP/START/HELP as the whole message only', () => {
    expect(smsKeyword(' stop ')).toBe('stop');
    expect(smsKeyword('UNSUBSCRIBE')).toBe('stop');
    expect(smsKeyword('Unstop')).toBe('start');
    expect(smsKeyword('help')).toBe('help');
    expect(smsKeyword('stop the refund')).toBeNull();
    // In a conversation these answer questions ("cancel this run?", "start it?"), so they are not keywords.
    expect(smsKeyword('cancel')).toBeNull();
    expect(smsKeyword('yes')).toBeNull();
  });
});
