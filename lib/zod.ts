import { z } from 'zod';

// zod compiles object parsers with `new Function` when it can, and probes for that by calling
// Function(""): under the console's Content-Security-Policy (no 'unsafe-eval') the probe is a reported
// violation. Every schema module imports z from here, so the probe never runs.
z.config({ jitless: true });

export { z };
