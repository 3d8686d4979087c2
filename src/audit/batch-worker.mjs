// Entry of the parallel batch audit's worker threads: load the TypeScript worker through tsx (as
// bin/medfund.js does for the CLI), so it runs the same way under node, tsx and vitest.
import { register } from 'tsx/esm/api';

register();
await import('./batch-worker.ts');
