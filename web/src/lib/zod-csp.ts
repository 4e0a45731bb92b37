import { config } from 'zod/v4/core';

// The server's CSP forbids eval. zod probes `new Function('')` when it builds its first object schema, and the browser
// reports that as a CSP violation even though zod catches it; jitless skips the probe (and the compiled fast path
// the CSP would refuse anyway). Imported first by main.tsx, before any module builds a schema.
config({ jitless: true });
