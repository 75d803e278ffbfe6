// `validate --html FILE`: the counterexample as a self-contained HTML page, opened in headless
// Chromium (Debian's chromium package; .ci/run installs it): the page's DOM after its script
// ran holds a swimlane per CPU and one event per timeline entry, of the entry's kind and
// text, the violation marked; a screenshot is taken; nothing is fetched from anywhere.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtmlTimeline } from '../../src/validate/html-timeline.js';
import { cli, tempFiles } from '../helpers/cli.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'validate');
const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync(c, ['--version']).status === 0);
if (!CHROMIUM) console.warn('html-timeline.test: skipping the Chromium checks: chromium is not installed');

function chromium(args: string[]): string {
  const r = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The events of a DOM dump: index, kind, cpu, line and label text. */
function events(dom: string) {
  return [...dom.matchAll(/<g class="event ([\w-]+)" data-index="(\d+)" data-cpu="(\d+)" data-kind="([\w-]+)"(?: data-line="(\d+)")?[^>]*>[\s\S]*?<text class="label"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    cls: m[1]!, index: Number(m[2]), cpu: Number(m[3]), kind: m[4]!, line: m[5] ? Number(m[5]) : null, label: m[6]!,
  }));
}
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('validate --html', () => {
  it('writes a page with every event of the counterexample, its kind and CPU, the violation marked, nothing fetched', () => {
    const dir = tempFiles({});
    const page = join(dir, 'cx.html');
    const fixture = join(FIXTURES, 'bad-no-tlbsync.s');
    const r = cli(['validate', fixture, '--html', page]);
    expect(r.status).toBe(1);
    const json = JSON.parse(cli(['validate', fixture, '--json']).stdout) as { counterexample: { timeline: Array<{ cpu: number; line: number | null; text: string; kind: string }> } };
    const timeline = json.counterexample.timeline;
    expect(new Set(timeline.map((e) => e.kind))).toEqual(new Set(['insn', 'pte-store', 'speculative-fill', 'invalidate', 'mark', 'interrupt', 'violation']));
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/\b(src|href)=|url\(|@import/); // self-contained
    const check = (dom: string) => {
      const got = events(dom);
      expect(got.length).toBe(timeline.length);
      got.forEach((g, i) => {
        const e = timeline[i]!;
        expect([g.index, g.cpu, g.kind, g.cls, g.line]).toEqual([i, e.cpu, e.kind, e.kind, e.line]);
        expect(e.text.startsWith(unescape(g.label).replace(/…$/, ''))).toBe(true);
      });
      expect(dom).toMatch(/<text class="lane-head"[^>]*>cpu 0<\/text>/);
      expect(dom).toMatch(/<text class="lane-head"[^>]*>cpu 1<\/text>/);
      expect(got.at(-1)!.kind).toBe('violation');
      expect(dom).toContain('class="violation-band"');
    };
    check(html);
    if (!CHROMIUM) return;
    // The DOM as Chromium built it (after the page's script), and a screenshot.
    check(chromium(['--dump-dom', `file://${page}`]));
    const png = join(dir, 'cx.png');
    chromium(['--window-size=1100,600', `--screenshot=${png}`, `file://${page}`]);
    const img = readFileSync(png);
    expect(img.subarray(1, 4).toString()).toBe('PNG');
    expect(img.length).toBeGreaterThan(10_000);
  }, 120_000);

  it('says so when there is no counterexample; a bad path fails before any work', () => {
    const page = join(tempFiles({}), 'pass.html');
    expect(cli(['validate', join(FIXTURES, 'hpte-invalidate-local.s'), '--html', page]).status).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('No counterexample');
    const bad = cli(['validate', join(FIXTURES, 'hpte-invalidate-local.s'), '--html', '/nonexistent/dir/x.html']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('ppc64emu: --html /nonexistent/dir/x.html: cannot write: no such directory');
    expect(bad.stdout).toBe('');
  });

  it('scenario --explore --html draws the explored cycle; without --explore it is refused', () => {
    const page = join(tempFiles({}), 'z.html');
    const r = cli(['scenario', 'zsmalloc', '--variant', 'setpte-stub', '--explore', 'exhaustive', '--html', page]);
    expect(r.status).toBe(1);
    const got = events(readFileSync(page, 'utf8'));
    expect(got.map((e) => e.kind)).toContain('tlb-fill');
    expect(got.at(-1)).toMatchObject({ kind: 'violation', cpu: 0 });
    const bad = cli(['scenario', 'zsmalloc', '--html', page]);
    expect([bad.status, bad.stderr.trim()]).toEqual([2, 'ppc64emu: --html draws an explored counterexample: use it with --explore']);
  });

  it('escapes what it draws', () => {
    const html = renderHtmlTimeline({ file: 'a<b>.s', verdict: 'x & y', cpus: [0], source: ['\tnop # "q" <r>'], timeline: [{ cpu: 0, line: 1, text: 'a <b> & "c"', kind: 'mark' }] });
    expect(html).toContain('<title>a&lt;b&gt;.s: x &amp; y</title>');
    expect(html).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(html).not.toContain('<b>');
  });
});
