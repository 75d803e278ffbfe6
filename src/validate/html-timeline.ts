// The counterexample as one self-contained HTML page (`validate --html FILE`): a swimlane per
// CPU, the timeline's entries in order down the page, each drawn by what it records
// (instruction, fixture mark, TLB fill, speculative fill, invalidation taking effect, early
// completion, page-table store not yet visible to other walks and its publication,
// interrupt) and the violation highlighted across every lane. Inline SVG and CSS, a few
// lines of inline script for the detail panel; nothing is fetched, so the page works offline
// and can be attached to a bug report.

import { escapeHtml } from '../html-escape.js';
import type { TimelineEntry, TimelineKind } from './session.js';

export interface HtmlTimelineInput {
  /** The fixture's file name, for the title. */
  readonly file: string;
  /** The verdict line the text output ends with. */
  readonly verdict: string;
  /** The fixture's CPUs, in lane order. */
  readonly cpus: readonly number[];
  /** The counterexample's timeline; empty when there is none. */
  readonly timeline: readonly TimelineEntry[];
  /** The fixture's source lines, to show the line of each instruction and mark. */
  readonly source: readonly string[];
}

const KINDS: Record<TimelineKind, { label: string; fill: string; stroke: string }> = {
  insn: { label: 'instruction', fill: '#f4f6f8', stroke: '#9aa5b1' },
  mark: { label: 'fixture mark', fill: '#e8f0fe', stroke: '#4c6ef5' },
  interrupt: { label: 'interrupt', fill: '#fff4e6', stroke: '#f08c00' },
  'tlb-fill': { label: 'TLB fill', fill: '#e6fcf5', stroke: '#0ca678' },
  'speculative-fill': { label: 'speculative TLB fill', fill: '#fff9db', stroke: '#e67700' },
  invalidate: { label: 'invalidation takes effect', fill: '#f3f0ff', stroke: '#7048e8' },
  'early-completion': { label: 'invalidation reaches a CPU early', fill: '#f8f0fc', stroke: '#ae3ec9' },
  'pte-store': { label: 'page-table store (not yet visible to other walks)', fill: '#fff0f6', stroke: '#d6336c' },
  publish: { label: 'page-table store becomes visible', fill: '#ffe3ec', stroke: '#a61e4d' },
  violation: { label: 'violation', fill: '#ffe3e3', stroke: '#e03131' },
};

const LANE = 460;
const GUTTER = 70;
const ROW = 24;
const HEAD = 30;
const CHARS = 60; // of an entry's text drawn in its box; the rest is in the detail panel

const esc = escapeHtml;

function detail(e: TimelineEntry, source: readonly string[]): string {
  const src = e.line !== null ? source[e.line - 1]?.trim() : undefined;
  return `cpu ${e.cpu}${e.line !== null ? `, line ${e.line}` : ''} (${KINDS[e.kind].label}): ${e.text}${src ? `\nsource: ${src}` : ''}`;
}

/** The page. */
export function renderHtmlTimeline(input: HtmlTimelineInput): string {
  const lanes = [...new Set([...input.cpus, ...input.timeline.map((e) => e.cpu)])].sort((a, b) => a - b);
  const width = GUTTER + LANE * Math.max(1, lanes.length);
  const height = HEAD + ROW * input.timeline.length + 10;
  const svg: string[] = [];
  svg.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline">`);
  lanes.forEach((cpu, k) => {
    const x = GUTTER + LANE * k;
    svg.push(`<rect class="lane" x="${x}" y="0" width="${LANE}" height="${height}" fill="${k % 2 ? '#fbfbfc' : '#ffffff'}"/>`);
    svg.push(`<text class="lane-head" x="${x + LANE / 2}" y="20" text-anchor="middle" font-weight="bold">cpu ${cpu}</text>`);
  });
  input.timeline.forEach((e, i) => {
    const y = HEAD + ROW * i;
    const k = KINDS[e.kind];
    const lane = lanes.indexOf(e.cpu);
    const x = GUTTER + LANE * lane;
    const d = esc(detail(e, input.source));
    const shown = e.text.length > CHARS ? e.text.slice(0, CHARS - 1) + '…' : e.text;
    if (e.kind === 'violation') svg.push(`<rect class="violation-band" x="0" y="${y}" width="${width}" height="${ROW - 2}" fill="#ffe3e3"/>`);
    svg.push(`<g class="event ${e.kind}" data-index="${i}" data-cpu="${e.cpu}" data-kind="${e.kind}"${e.line !== null ? ` data-line="${e.line}"` : ''} data-detail="${d}">`);
    svg.push(`<title>${d}</title>`);
    svg.push(`<text class="step" x="6" y="${y + 15}" font-size="11" fill="#868e96">${i + 1}${e.line !== null ? ` L${e.line}` : ''}</text>`);
    svg.push(
      `<rect x="${x + 6}" y="${y}" width="${LANE - 12}" height="${ROW - 4}" rx="4" fill="${k.fill}" stroke="${k.stroke}" stroke-width="${e.kind === 'violation' ? 2.5 : 1}"${e.kind === 'speculative-fill' ? ' stroke-dasharray="4 2"' : ''}/>`,
    );
    svg.push(`<text class="label" x="${x + 12}" y="${y + 14}" font-size="12" font-family="monospace">${esc(shown)}</text>`);
    svg.push('</g>');
  });
  svg.push('</svg>');
  const used = [...new Set(input.timeline.map((e) => e.kind))];
  const legend = (Object.keys(KINDS) as TimelineKind[])
    .filter((k) => used.includes(k))
    .map((k) => `<span class="key"><span class="swatch" style="background:${KINDS[k].fill};border-color:${KINDS[k].stroke}"></span>${esc(KINDS[k].label)}</span>`)
    .join('');
  const body = input.timeline.length
    ? `<div class="legend">${legend}</div><div id="detail">Point at an event for its details.</div><div class="chart">${svg.join('\n')}</div>`
    : '<p class="none">No counterexample: every schedule within the bounds passed the checks.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(input.file)}: ${esc(input.verdict)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 16px; color: #212529; }
h1 { font-size: 18px; margin: 0 0 4px; }
.verdict { font-family: monospace; margin: 0 0 12px; }
.legend { margin: 8px 0; font-size: 13px; }
.key { margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid; margin-right: 4px; vertical-align: -1px; }
#detail { font-family: monospace; font-size: 12px; white-space: pre-wrap; background: #f8f9fa; border: 1px solid #dee2e6; padding: 6px; margin: 8px 0; min-height: 2.6em; }
.event:hover rect { stroke-width: 2.5; }
</style>
</head>
<body>
<h1>${esc(input.file)}</h1>
<p class="verdict">${esc(input.verdict)}</p>
${body}
<script>
for (const g of document.querySelectorAll('.event')) g.addEventListener('mouseenter', () => { document.getElementById('detail').textContent = g.dataset.detail; });
</script>
</body>
</html>
`;
}
