// A pool worker's entry point: worker threads do not inherit the main thread's tsx loader, so it is registered
// here (bin/duet.js does the same for the process) before the TypeScript worker loads.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
