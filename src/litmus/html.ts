// `litmus --html FILE`: each test's kept execution (witness.ts) drawn as herd7's diagrams draw
// one, in a self-contained HTML page: the initial writes along the top, a column per thread
// with its events in program order (reads, writes, fences, each with its instruction), and
// the communication edges between them: rf (red), co (blue), fr (orange). Inline SVG, no
// script, nothing fetched.

import { escapeHtml as esc } from '../html-escape.js';
import type { DrawnTest } from './index.js';
import type { Witness } from './witness.js';

const LANE = 320;
const BOX_W = 220;
const BOX_H = 34;
const ROW = 58;
const LEFT = 30;
const INIT_Y = 40;
const TOP = 120;

const EDGE = { rf: '#e03131', co: '#1c7ed6', fr: '#f08c00' } as const;
type EdgeKind = keyof typeof EDGE;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly lane: number; // -1: an initial write
}

/** Event labels as herd prints them: a, b, c, ... in thread order. */
function label(k: number): string {
  return k < 26 ? String.fromCharCode(97 + k) : `e${k}`;
}

function edgePath(a: Box, b: Box): string {
  const [ax, ay, bx, by] = [a.x + BOX_W / 2, a.y + BOX_H / 2, b.x + BOX_W / 2, b.y + BOX_H / 2];
  if (a.lane === b.lane && a.lane >= 0) {
    // Same thread: bow out to the right of the column.
    const r = a.x + BOX_W;
    return `M ${r} ${ay} C ${r + 60} ${ay}, ${r + 60} ${by}, ${r} ${by}`;
  }
  const sx = bx > ax ? a.x + BOX_W : bx < ax ? a.x : ax;
  const ex = bx > ax ? b.x : bx < ax ? b.x + BOX_W : bx;
  const sy = a.lane === -1 ? a.y + BOX_H : ay;
  const ey = a.lane === -1 && bx === ax ? b.y : by;
  const mx = (sx + ex) / 2;
  return `M ${sx} ${sy} C ${mx} ${sy}, ${mx} ${ey}, ${ex} ${ey}`;
}

function drawWitness(w: Witness): string {
  const lanes = w.threads.length;
  const rows = Math.max(1, ...w.threads.map((t) => t.length));
  const width = LEFT + LANE * Math.max(lanes, Math.ceil((w.init.length * (BOX_W + 20)) / LANE)) + 40;
  const height = TOP + ROW * rows + 20;
  const boxes = new Map<number, Box>();
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="execution">`);
  out.push('<defs>');
  for (const [k, c] of Object.entries(EDGE)) out.push(`<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${c}"/></marker>`);
  out.push('</defs>');
  out.push(`<text class="init-head" x="${LEFT}" y="${INIT_Y - 12}" font-weight="bold">initial state</text>`);
  w.init.forEach((e, k) => {
    const b: Box = { x: LEFT + k * (BOX_W + 20), y: INIT_Y, lane: -1 };
    boxes.set(e.id, b);
    out.push(`<g class="event init" data-id="${e.id}" data-kind="W" data-loc="${esc(e.loc)}">`);
    out.push(`<rect x="${b.x}" y="${b.y}" width="${BOX_W}" height="${BOX_H}" rx="5" fill="#f1f3f5" stroke="#868e96"/>`);
    out.push(`<text class="label" x="${b.x + 10}" y="${b.y + 21}" font-family="monospace" font-size="13">W${esc(e.loc)}=${esc(e.value)}</text>`);
    out.push('</g>');
  });
  let n = 0;
  w.threads.forEach((events, t) => {
    const x = LEFT + LANE * t;
    out.push(`<text class="lane-head" x="${x + BOX_W / 2}" y="${TOP - 16}" text-anchor="middle" font-weight="bold">P${t}</text>`);
    events.forEach((e, k) => {
      const y = TOP + ROW * k;
      if (e.kind === 'F') {
        out.push(`<g class="event fence" data-thread="${t}" data-kind="F"><title>${esc(e.insn)}</title>`);
        out.push(`<rect x="${x}" y="${y + 10}" width="${BOX_W}" height="${BOX_H - 20}" rx="3" fill="#e9ecef" stroke="#adb5bd"/>`);
        out.push(`<text class="label" x="${x + BOX_W / 2}" y="${y + 21}" text-anchor="middle" font-family="monospace" font-size="11">${esc(e.insn)}</text>`);
        out.push('</g>');
        return;
      }
      const b: Box = { x, y, lane: t };
      boxes.set(e.id, b);
      const text = `${label(n++)}: ${e.kind}${e.loc}=${e.value}`;
      out.push(`<g class="event ${e.kind === 'R' ? 'read' : 'write'}" data-id="${e.id}" data-thread="${t}" data-kind="${e.kind}" data-loc="${esc(e.loc)}"><title>${esc(`${text}   (${e.insn})`)}</title>`);
      out.push(`<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="5" fill="${e.kind === 'R' ? '#e7f5ff' : '#fff4e6'}" stroke="${e.kind === 'R' ? '#4dabf7' : '#ffa94d'}"/>`);
      out.push(`<text class="label" x="${x + 8}" y="${y + 15}" font-family="monospace" font-size="13">${esc(text)}</text>`);
      out.push(`<text class="insn" x="${x + 8}" y="${y + 29}" font-family="monospace" font-size="10" fill="#495057">${esc(e.insn)}</text>`);
      out.push('</g>');
      if (k > 0) out.push(`<line class="po" x1="${x + 14}" y1="${y - ROW + BOX_H}" x2="${x + 14}" y2="${y}" stroke="#adb5bd"/>`);
    });
  });
  const edges: Array<[EdgeKind, readonly (readonly [number, number])[]]> = [['rf', w.rf], ['co', w.co], ['fr', w.fr]];
  for (const [kind, pairs] of edges)
    for (const [a, b] of pairs) {
      const from = boxes.get(a);
      const to = boxes.get(b);
      if (!from || !to) continue;
      out.push(`<path class="edge ${kind}" data-from="${a}" data-to="${b}" d="${edgePath(from, to)}" fill="none" stroke="${EDGE[kind]}" stroke-width="1.6" marker-end="url(#arrow-${kind})"><title>${kind}</title></path>`);
    }
  out.push('</svg>');
  return out.join('\n');
}

/** The page for the drawn tests, one section each. */
export function renderLitmusHtml(model: string, tests: ReadonlyArray<{ readonly file: string; readonly drawn: DrawnTest }>): string {
  const sections = tests.map(({ file, drawn }) => {
    const w = drawn.witness;
    const what = !w
      ? 'No allowed execution of the kind to show (for exists and ~exists: none satisfies the proposition; for forall: none violates it).'
      : w.shows === 'satisfies'
        ? 'An allowed execution whose final state satisfies the proposition:'
        : 'An allowed execution whose final state violates the proposition:';
    return [
      `<section class="test" data-test="${esc(drawn.name)}">`,
      `<h2>${esc(drawn.name)}</h2>`,
      `<p class="meta"><span class="file">${esc(file)}</span> · model ${esc(model)} · <code>${esc(drawn.condition)}</code> · Observation ${esc(drawn.observation)}</p>`,
      `<p class="what">${esc(what)}</p>`,
      w ? `<p class="final">final state: <code>${esc(w.final)}</code></p>\n${drawWitness(w)}` : '',
      '</section>',
    ].join('\n');
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ppc64emu litmus</title>
<style>
body { font-family: sans-serif; margin: 20px; color: #212529; }
section.test { border-top: 1px solid #dee2e6; padding-top: 8px; margin-bottom: 28px; }
.meta { color: #495057; } code { background: #f8f9fa; padding: 1px 4px; }
.legend span { margin-right: 14px; font-weight: bold; }
</style></head><body>
<h1>ppc64emu litmus</h1>
<p class="legend"><span style="color:${EDGE.rf}">rf</span><span style="color:${EDGE.co}">co</span><span style="color:${EDGE.fr}">fr</span>program order runs down each thread's column</p>
${sections.join('\n')}
</body></html>
`;
}
