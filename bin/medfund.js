#!/usr/bin/env node
// Entry point for `npx medfund`. The project runs its TypeScript sources through tsx's loader,
// so there is no separate build step between `npm ci` and the first command.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
await run(process.argv);
