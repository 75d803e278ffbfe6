// `litmus --html FILE`: each test's kept execution drawn with its events and rf/co/fr edges.
// Expected edges are worked out by hand from the tests (fixtures/litmus): MP's witness of
// 1:r1=1 /\ 1:r2=0 reads y from P0's second store and x from the initial state; 2+2W's
// counterexample to forall (x=1 \/ y=1) ends with x=2 and y=2, so each location's co goes
// init -> the other thread's 1 -> this thread's 2. The page is opened in headless Chromium
// when installed (its DOM after load must hold the same events and edges).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempFiles } from '../helpers/cli.js';

const LITMUS = join(__dirname, '..', '..', 'fixtures', 'litmus');
const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync(c, ['--version']).status === 0);
if (!CHROMIUM) console.warn('litmus-html.test: skipping the Chromium check: chromium is not installed');

interface Drawn {
  events: Map<number, { kind: string; loc: string; label: string; thread: number | null }>;
  edges: string[];
}

/** The events (by graph id) and edges of one test's section, described by kind and label. */
function section(page: string, test: string): Drawn {
  const start = page.indexOf(`<section class="test" data-test="${test}">`);
  expect(start, test).toBeGreaterThanOrEqual(0);
  const s = page.slice(start, page.indexOf('</section>', start));
  const events = new Map<number, { kind: string; loc: string; label: string; thread: number | null }>();
  for (const m of s.matchAll(/<g class="event [\w-]+" data-id="(\d+)"(?: data-thread="(\d+)")? data-kind="(\w)" data-loc="(\w+)">[\s\S]*?<text class="label"[^>]*>([^<]*)<\/text>/g))
    events.set(Number(m[1]), { thread: m[2] === undefined ? null : Number(m[2]), kind: m[3]!, loc: m[4]!, label: m[5]! });
  const name = (id: number) => events.get(id)!.label.replace(/^\w+: /, '') + (events.get(id)!.thread === null ? ' (init)' : ` P${events.get(id)!.thread}`);
  const edges = [...s.matchAll(/<path class="edge (\w+)" data-from="(\d+)" data-to="(\d+)"/g)].map((m) => `${m[1]} ${name(Number(m[2]))} -> ${name(Number(m[3]))}`);
  return { events, edges: edges.sort() };
}

describe('litmus --html', () => {
  const dir = tempFiles({});
  const page = join(dir, 'lit.html');
  const files = ['MP.litmus', '2+2W.litmus', 'SB+syncs.litmus'].map((f) => join(LITMUS, f));

  it('draws MP\'s witness and 2+2W\'s counterexample with their rf, co and fr edges; a Never test has none to draw', () => {
    const r = cli(['litmus', ...files, '--html', page]);
    expect(r.status).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/\b(src|href)=|url\((?!#)|@import|<script/); // self-contained (only in-page marker references), no script
    const check = (text: string) => {
      const mp = section(text, 'MP');
      expect(mp.edges).toEqual([
        'co Wx=0 (init) -> Wx=1 P0',
        'co Wy=0 (init) -> Wy=1 P0',
        'fr Rx=0 P1 -> Wx=1 P0',
        'rf Wx=0 (init) -> Rx=0 P1',
        'rf Wy=1 P0 -> Ry=1 P1',
      ]);
      expect(text).toContain('final state: <code>1:r1=1; 1:r2=0;</code>');
      const w = section(text, '2+2W');
      expect(w.edges).toEqual([
        'co Wx=0 (init) -> Wx=1 P1',
        'co Wx=1 P1 -> Wx=2 P0',
        'co Wy=0 (init) -> Wy=1 P0',
        'co Wy=1 P0 -> Wy=2 P1',
      ]);
      expect(text).toMatch(/data-test="2\+2W">[\s\S]*?violates the proposition/);
      expect(text).toMatch(/data-test="SB\+syncs">[\s\S]*?No allowed execution of the kind to show/);
    };
    check(html);
    if (!CHROMIUM) return;
    const dom = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status, dom.stderr).toBe(0);
    check(dom.stdout);
  });

  it('a bad --html path is one line and exit 2, before any test runs', () => {
    const r = cli(['litmus', files[0]!, '--html', join(dir, 'no', 'such', 'x.html')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
