// Counterexamples as text: one column per CPU, one row per thing that happened, in order.

import type { TimelineEntry } from './explore.js';

const WIDTH = 58;

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = '  ' + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Renders a timeline with a column per CPU that appears in it (or in `cpus`). */
export function renderTimeline(timeline: readonly TimelineEntry[], cpus: readonly number[] = []): string {
  const cols = [...new Set([...cpus, ...timeline.map((e) => e.cpu)])].sort((a, b) => a - b);
  const rows: string[] = [];
  const header = cols.map((c, i) => (i === cols.length - 1 ? `cpu ${c}` : `cpu ${c}`.padEnd(WIDTH))).join(' | ');
  rows.push(`      ${header}`);
  rows.push(`      ${cols.map((_c, i) => (i === cols.length - 1 ? '-'.repeat(WIDTH) : '-'.repeat(WIDTH))).join('-+-')}`);
  for (const e of timeline) {
    const col = cols.indexOf(e.cpu);
    const lines = wrap(e.text, WIDTH);
    lines.forEach((text, k) => {
      const cells = cols.map((_c, i) => (i === col ? text : ''));
      const body = cells.map((t, i) => (i === cols.length - 1 ? t : t.padEnd(WIDTH))).join(' | ').trimEnd();
      const label = k === 0 && e.line !== null ? `L${e.line}`.padEnd(6) : '      ';
      rows.push(label + body);
    });
  }
  return rows.join('\n');
}
