import { io, type Socket } from 'socket.io-client';

let shared: Socket | null = null;

/** One socket for the whole app; components join and leave rooms on it. */
export function getSocket(): Socket {
  shared ??= io({ path: '/socket.io', transports: ['websocket'] });
  return shared;
}

export interface AckError { error: { code: string; message: string } }

/** Emits and resolves with the ack; an `{error}` ack rejects with the server's message. */
export function emitWithAck<T>(event: string, payload: unknown, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    getSocket().timeout(timeoutMs).emit(event, payload, (timeout: Error | null, answer: T | AckError) => {
      if (timeout) return reject(new Error(`the server did not answer ${event} in time`));
      if (answer && typeof answer === 'object' && 'error' in answer) return reject(new Error((answer as AckError).error.message));
      resolve(answer as T);
    });
  });
}
