// Every extension context imports zod through this module: zod v4 otherwise compiles
// validators with `new Function`, which the extension CSP forbids (and AMO's linter flags).
import { z } from 'zod';

z.config({ jitless: true });

export { z };
