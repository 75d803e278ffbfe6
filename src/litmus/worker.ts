// Worker thread for `ppc64emu litmus --jobs N`: runs the files it is sent, one message each,
// and answers with the file's result in the same order.

import { parentPort } from 'node:worker_threads';
import { litmusFile } from './index.js';
import type { ModelName } from './outcome.js';

parentPort?.on('message', (m: { index: number; file: string; model: ModelName; draw: boolean } | null) => {
  if (m === null) {
    parentPort!.close();
    return;
  }
  let r;
  try {
    r = litmusFile(m.file, m.model, m.draw);
  } catch (e) {
    r = { ok: false as const, file: m.file, error: `${m.file}: internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
  parentPort!.postMessage({ index: m.index, result: r });
});
