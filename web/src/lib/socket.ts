import { io, type Socket } from 'socket.io-client';
import { announceSignedOut, ApiError } from './api.ts';
import { chosenWorkspace } from './workspace-choice.ts';

let shared: Socket | null = null;

const authOf = () => {
  const workspace = chosenWorkspace();
  return workspace ? { workspace } : {};
};

/**
 * One socket for the whole app; components join and leave rooms on it. The session cookie authenticates it and
 * `auth.workspace` picks the workspace it acts in; a refusal as `unauthorized` means the session is gone.
 */
export function getSocket(): Socket {
  if (shared) return shared;
  const socket = io({ path: '/socket.io', transports: ['websocket'], auth: authOf() });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === 'unauthorized') announceSignedOut();
  });
  shared = socket;
  return socket;
}

/** After switching workspaces: connect again with the new `auth.workspace` (listeners rejoin on `connect`). */
export function reconnectSocket(): void {
  if (!shared) return;
  shared.auth = authOf();
  shared.disconnect().connect();
}

/** After signing out: drop the socket; the next page that needs one opens a fresh one. */
export function closeSocket(): void {
  shared?.disconnect();
  shared = null;
}

export interface AckError {
  error: { code: string; message: string };
}

/** Emits and resolves with the ack; an `{error}` ack rejects with an ApiError carrying the server's code and message. */
export function emitWithAck<T>(event: string, payload: unknown, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    getSocket()
      .timeout(timeoutMs)
      .emit(event, payload, (timeout: Error | null, answer: T | AckError) => {
        if (timeout) return reject(new ApiError(0, 'timeout', `the server did not answer ${event} in time`));
        // The ack carries the same {code, message} as the HTTP envelope; keep both for the error box.
        if (answer && typeof answer === 'object' && 'error' in answer) {
          const { code, message } = (answer as AckError).error;
          return reject(new ApiError(0, code, message));
        }
        resolve(answer as T);
      });
  });
}
