// The embedder worker's entry point: worker threads do not inherit the main thread's tsx loader, so it is
// registered here (as src/sandbox/worker-entry.js does) before the TypeScript worker loads.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
