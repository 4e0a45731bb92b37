/** TwiML answer to an inbound message: one <Message> per part of the reply; an empty <Response> answers nothing. */
export function twiml(messages: readonly string[]): string {
  const body = messages.map((text) => `<Message>${escapeXml(text)}</Message>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}
