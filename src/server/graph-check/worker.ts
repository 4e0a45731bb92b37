import { parentPort } from 'node:worker_threads';
import { validateGraph, type ValidateOptions, type ValidationResult } from '../../graph/validate.ts';

export interface CheckCall {
  id: number;
  raw: unknown;
  options: ValidateOptions;
}

export type CheckReply = { id: number; result: ValidationResult } | { id: number; error: string };

parentPort!.on('message', ({ id, raw, options }: CheckCall) => {
  try {
    parentPort!.postMessage({ id, result: validateGraph(raw, options) } satisfies CheckReply);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies CheckReply);
  }
});
