// The visited-state sets of both explorers (explore.ts, relaxed/index.ts) keep a digest of each
// state's key, not the key (which lists every TLB entry and pending invalidation and runs to
// kilobytes): memory stays proportional to the number of states. SHA-1's 160 bits make a
// collision (which would prune a state unexplored) about n^2 / 2^161 likely for n states;
// node's one-shot crypto.hash is used because it is the fastest digest here (about twice
// MD5's speed on this machine: SHA extensions).

import { hash } from 'node:crypto';

export function stateDigest(key: string): string {
  return hash('sha1', key, 'base64');
}
