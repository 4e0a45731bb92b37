/** A stored turn as it is shown live to every view of its conversation (other tabs, the canvas). */
export interface LiveTurn {
  conversationId: string;
  role: 'user' | 'assistant';
  text: string;
  intent: string;
  /** What the turn did, when it did something: the sources an answer cites travel with it to every view. */
  action?: unknown;
}

/**
 * Where stored turns go live. The conversation services store turns (replies, progress lines) but hold no
 * sockets: whoever holds them connects here. Until then, or with nobody connected, turns are only stored, which
 * history and a reconnecting client still see.
 */
export class LiveTurns {
  private send: ((turn: LiveTurn) => void) | undefined;

  /** Sends every later turn to `send`; returns the disconnect. */
  connect(send: (turn: LiveTurn) => void): () => void {
    this.send = send;
    return () => {
      if (this.send === send) this.send = undefined;
    };
  }

  push(turn: LiveTurn): void {
    this.send?.(turn);
  }
}
