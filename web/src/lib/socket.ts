import { io, type Socket } from 'socket.io-client';
import { ApiError } from './api.ts';

let shared: Socket | null = null;

/** One socket for the whole app; components join and leave rooms on it. */
export function getSocket(): Socket {
  shared ??= io({ path: '/socket.io', transports: ['websocket'] });
  return shared;
}

export interface AckError { error: { code: string; message: string } }

/** Emits and resolves with the ack; an `{error}` ack rejects with an ApiError carrying the server's code and message. */
export function emitWithAck<T>(event: string, payload: unknown, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    getSocket().timeout(timeoutMs).emit(event, payload, (timeout: Error | null, answer: T | AckError) => {
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
