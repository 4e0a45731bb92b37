/** A document Duet cannot read: `unsupported` (415, not a format it knows) or `unreadable` (422, corrupt or empty). */
export class DocumentError extends Error {
  override name = 'DocumentError';
  constructor(
    readonly reason: 'unsupported' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

export const unreadable = (message: string) => new DocumentError('unreadable', message);
