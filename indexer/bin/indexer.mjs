#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript CLI through tsx's loader, so the package needs no compile step. The young
// generation of 64 MB (Node's default is 16) makes the handlers' short-lived objects cheaper to
// collect (~9 % faster handlers in `bench handlers`); `npm start` and `pnpm start` pass it too.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
