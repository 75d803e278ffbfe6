import type { Command } from 'commander';
import { Option } from 'commander';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { litmusFile, type FileResult, type ModelName } from '../../litmus/index.js';
import { parseCount } from '../options.js';
import { OutputFile } from '../output-file.js';
import { renderLitmusHtml } from '../../litmus/html.js';

interface LitmusCliOptions {
  model: ModelName;
  jobs: number;
  json?: boolean;
  html?: string;
}

/** Runs the files on `jobs` worker threads; results come back in input order. */
async function runPool(files: string[], model: ModelName, jobs: number, draw: boolean, each: (i: number, r: FileResult) => void): Promise<void> {
  const script = fileURLToPath(new URL('./litmus-worker.js', import.meta.url));
  if (jobs <= 1 || files.length <= 1 || !existsSync(script)) {
    files.forEach((f, i) => each(i, litmusFile(f, model, draw)));
    return;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, files.length) }, () => new Worker(script));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const send = () => {
            if (next < files.length) {
              const index = next++;
              w.postMessage({ index, file: files[index], model, draw });
            } else {
              w.postMessage(null);
            }
          };
          w.on('message', (m: { index: number; result: FileResult }) => {
            each(m.index, m.result);
            send();
          });
          w.on('error', reject);
          w.on('exit', () => resolve());
          send();
        }),
    ),
  );
}

export function registerLitmus(program: Command): void {
  program
    .command('litmus')
    .argument('<files...>', 'herd7 PPC litmus tests')
    .addOption(new Option('--model <model>', 'memory model: power (Herding Cats ppc.cat) or sc (sequential consistency)').choices(['power', 'sc']).default('power'))
    .option('--jobs <n>', 'files run at once on worker threads', parseCount(1, 64), 1)
    .option('--json', 'print one JSON record per test instead of herd7 logs')
    .option('--html <file>', "also write each test's witness (or counterexample) execution, drawn with its rf/co/fr edges, as a self-contained HTML page")
    .description("run litmus tests under the memory model and print herd7's log format; exit 2 if any file is bad input (the others still run)")
    .action(async (files: string[], o: LitmusCliOptions) => {
      const html = o.html ? new OutputFile(o.html, '--html') : null; // a bad path fails before the work
      const results: Array<FileResult | undefined> = new Array(files.length);
      const json: object[] = [];
      let printed = 0;
      let bad = false;
      const flush = () => {
        while (printed < files.length && results[printed]) {
          const r = results[printed++]!;
          if (!r.ok) {
            bad = true;
            process.stderr.write(`ppc64emu: ${r.error}\n`);
          } else if (o.json) json.push(r.json);
          else process.stdout.write(r.log);
        }
      };
      await runPool(files, o.model, o.jobs, html !== null, (i, r) => {
        results[i] = r;
        flush();
      });
      if (html) {
        const drawn = results.flatMap((r) => (r?.ok && r.drawn ? [{ file: r.file, drawn: r.drawn }] : []));
        html.write(renderLitmusHtml(o.model, drawn));
        html.close();
      }
      if (o.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      process.exitCode = bad ? 2 : 0;
    });
}
