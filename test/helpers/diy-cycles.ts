// Litmus tests built from their systematic names, as diy7 (herdtools7) names the tests it
// generates: a family ("MP", "WRC", "W+RR+WR+WR"...) and one program-order edge per thread
// that has two accesses ("MP+lwsync+addr"; a plural "MP+syncs" puts the edge on every such
// thread). The family fixes each thread's access kinds; the test is the cycle that joins the
// threads, where the last access of a thread meets the first of the next through a
// communication edge: W then R is rf, R then W is fr, W then W is co. Every program-order
// edge changes location (diy's "d" edges), so a location is the run of communication edges
// between two of them; along that run writes take the values 1, 2, ... and a read sees the
// last write before it (0 when none), and a location written twice ends at its last value.
// This is the published naming scheme (herdtools7's family table and edge names), written
// here; it lets the oracle test compare us with the verdict table published beside herd7's
// Power model for every test whose name this scheme covers.

/** Each family's threads, their access kinds in program order (herdtools7's family names). */
const FAMILIES: Readonly<Record<string, string>> = {
  MP: 'WW+RR', SB: 'WR+WR', '3.SB': 'WR+WR+WR', '4.SB': 'WR+WR+WR+WR',
  LB: 'RW+RW', '3.LB': 'RW+RW+RW', '4.LB': 'RW+RW+RW+RW',
  WRC: 'W+RW+RR', RWC: 'W+RR+WR', WWC: 'W+RW+RW', R: 'WW+WR', S: 'WW+RW',
  '2+2W': 'WW+WW', '3.2W': 'WW+WW+WW', '4.2W': 'WW+WW+WW+WW',
  'WRW+WR': 'W+RW+WR', 'WRR+2W': 'W+RR+WW', 'WRW+2W': 'W+RW+WW',
  'W+RWC': 'WW+RR+WR', ISA2: 'WW+RW+RR',
  IRIW: 'W+RR+W+RR', IRRWIW: 'W+RR+W+RW', IRWIW: 'W+RW+W+RW',
  'Z6.0': 'WW+RW+WR', 'Z6.1': 'WW+WW+RW', 'Z6.2': 'WW+RW+RW', 'Z6.3': 'WW+WW+RR',
  'Z6.4': 'WW+WR+WR', 'Z6.5': 'WW+WW+WR',
};


/** Program-order edges that change location (diy's "d" edges); the fences by name. */
const LOCATION_CHANGING = ['po', 'sync', 'lwsync', 'eieio', 'isync', 'addr', 'data', 'ctrl', 'ctrlisync'] as const;
const FENCES: ReadonlySet<string> = new Set(['sync', 'lwsync', 'eieio', 'isync']);
/** Internal communication edges: same location, same thread, with their access kinds. */
const INTERNAL: Readonly<Record<string, readonly [Kind, Kind]>> = { rfi: ['W', 'R'], fri: ['R', 'W'], wsi: ['W', 'W'] };

type Kind = 'R' | 'W';
interface Access {
  readonly kind: Kind;
  /** The edge from the previous access of the thread (null for its first access). */
  readonly edge: string | null;
  loc: number;
  /** The value a write stores, or the value a read must see in the outcome. */
  value: number;
}

export interface CycleTest {
  readonly name: string;
  readonly text: string;
}

/** Family names matched longest first, since some contain '+' ("W+RWC", "2+2W"). */
const FAMILY_NAMES = Object.keys(FAMILIES).sort((a, b) => b.length - a.length);

function splitName(name: string): { ends: Kind[][]; words: string[] } | null {
  let family = FAMILY_NAMES.find((f) => name === f || name.startsWith(`${f}+`));
  let key = family === undefined ? undefined : FAMILIES[family];
  if (family === undefined) {
    // A generic family is its own key ("W+RR+WR+WR"), the longest such prefix.
    const parts = name.split('+');
    let n = 0;
    while (n < parts.length && /^[RW]{1,2}$/.test(parts[n]!)) n++;
    if (n < 2) return null;
    family = parts.slice(0, n).join('+');
    key = family;
  }
  const rest = name.slice(family.length);
  return { ends: key!.split('+').map((t) => [...t] as Kind[]), words: rest === '' ? [] : rest.slice(1).split('+') };
}

/**
 * One thread's accesses from its first and last kinds and its edge word ("lwsync",
 * "rfi-data"), or null when the word is not a chain this scheme can lay out.
 */
function threadAccesses(first: Kind, last: Kind, word: string): Access[] | null {
  const parts = word.split('-');
  const accesses: Access[] = [{ kind: first, edge: null, loc: 0, value: 0 }];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const from = accesses[accesses.length - 1]!.kind;
    let to: Kind;
    if (part in INTERNAL) {
      if (INTERNAL[part]![0] !== from) return null;
      to = INTERNAL[part]![1];
    } else if ((LOCATION_CHANGING as readonly string[]).includes(part)) {
      if (i === parts.length - 1) to = last;
      else if (parts[i + 1]! in INTERNAL) to = INTERNAL[parts[i + 1]!]![0];
      else return null;
      if (part === 'data' && to !== 'W') return null;
      if ((part === 'data' || part === 'addr' || part === 'ctrl' || part === 'ctrlisync') && from !== 'R') return null;
    } else return null;
    accesses.push({ kind: to, edge: part, loc: 0, value: 0 });
  }
  return accesses[accesses.length - 1]!.kind === last ? accesses : null;
}

function threadsOf(name: string): Access[][] | null {
  const parts = splitName(name);
  if (parts === null || parts.ends.length < 2 || parts.ends.some((k) => k.length > 2)) return null;
  const slots = parts.ends.filter((k) => k.length === 2).length;
  let words: string[];
  if (parts.words.length === 0) words = Array<string>(slots).fill('po');
  else if (parts.words.length === slots) words = parts.words;
  else if (parts.words.length === 1 && slots > 1 && parts.words[0]!.endsWith('s')) {
    words = Array<string>(slots).fill(parts.words[0]!.slice(0, -1));
  } else return null;
  const threads: Access[][] = [];
  let w = 0;
  for (const k of parts.ends) {
    if (k.length === 1) threads.push([{ kind: k[0]!, edge: null, loc: 0, value: 0 }]);
    else {
      const t = threadAccesses(k[0]!, k[1]!, words[w++]!);
      if (t === null) return null;
      threads.push(t);
    }
  }
  // Two reads in a row across threads have no communication edge.
  for (let i = 0; i < threads.length; i++) {
    const t = threads[i]!;
    if (t[t.length - 1]!.kind === 'R' && threads[(i + 1) % threads.length]![0]!.kind === 'R') return null;
  }
  return threads;
}

const changesLocation = (a: Access): boolean => a.edge !== null && !(a.edge in INTERNAL);

/** Locations and values along the cycle (see the header comment); null if under two locations. */
function layOut(threads: readonly Access[][]): { locations: number; finals: Map<number, number> } | null {
  const order = threads.flat();
  const locations = order.filter(changesLocation).length;
  if (locations < 2) return null;
  const start = order.findIndex(changesLocation);
  const finals = new Map<number, number>();
  let loc = -1;
  let written = 0;
  for (let k = 0; k < order.length; k++) {
    const a = order[(start + k) % order.length]!;
    if (changesLocation(a)) {
      if (written > 1) finals.set(loc, written);
      loc++;
      written = 0;
    }
    a.loc = loc;
    a.value = a.kind === 'W' ? ++written : written;
  }
  if (written > 1) finals.set(loc, written);
  return { locations, finals };
}

const LOC_NAMES = ['x', 'y', 'z', 'a', 'b', 'c', 'd', 'e'];
const addrReg = (l: number): string => `r${20 + l}`;

/** One thread's code in herd's PPC syntax; its reads' expected values go to `conds`. */
function threadCode(t: readonly Access[], tid: number, conds: string[]): string[] {
  const code: string[] = [];
  t.forEach((a, i) => {
    const source = `r${i}`; // the previous access's read register
    let dep: string | null = null;
    if (a.edge === 'addr') {
      code.push(`xor r9,${source},${source}`);
      dep = 'r9';
    } else if (a.edge === 'ctrl' || a.edge === 'ctrlisync') {
      code.push(`cmpw ${source},${source}`, `beq LC${tid}${i}`, `LC${tid}${i}:`);
      if (a.edge === 'ctrlisync') code.push('isync');
    } else if (a.edge !== null && FENCES.has(a.edge)) code.push(a.edge);
    const base = addrReg(a.loc);
    if (a.kind === 'R') {
      conds.push(`${tid}:r${i + 1}=${a.value}`);
      code.push(dep === null ? `lwz r${i + 1},0(${base})` : `lwzx r${i + 1},${dep},${base}`);
    } else if (a.edge === 'data') {
      code.push(`xor r9,${source},${source}`, `addi r9,r9,${a.value}`, `stw r9,0(${base})`);
    } else {
      code.push(`li r${10 + i},${a.value}`, dep === null ? `stw r${10 + i},0(${base})` : `stwx r${10 + i},${dep},${base}`);
    }
  });
  return code;
}

/** The litmus test that `name` stands for, or null when the name is outside this scheme. */
export function cycleTest(name: string): CycleTest | null {
  const threads = threadsOf(name);
  if (threads === null) return null;
  const layout = layOut(threads);
  if (layout === null || layout.locations > LOC_NAMES.length) return null;
  const conds: string[] = [];
  const columns = threads.map((t, tid) => threadCode(t, tid, conds));
  for (const [loc, v] of [...layout.finals].sort((a, b) => a[0] - b[0])) conds.push(`${LOC_NAMES[loc]}=${v}`);
  const init = threads
    .map((t, tid) => [...new Set(t.map((a) => a.loc))].sort((a, b) => a - b).map((l) => `${tid}:${addrReg(l)}=${LOC_NAMES[l]};`).join(' '))
    .join('\n');
  const height = Math.max(...columns.map((c) => c.length));
  const widths = columns.map((c, tid) => Math.max(`P${tid}`.length, ...c.map((l) => l.length)));
  const row = (cells: string[]): string => ` ${cells.map((s, i) => s.padEnd(widths[i]!)).join(' | ')} ;`;
  const lines = [`PPC ${name}`, `"generated from its name by diy7's naming scheme"`, '{', init, '}'];
  lines.push(row(columns.map((_c, tid) => `P${tid}`)));
  for (let i = 0; i < height; i++) lines.push(row(columns.map((c) => c[i] ?? '')));
  lines.push(`exists (${conds.join(' /\\ ')})`);
  return { name, text: `${lines.join('\n')}\n` };
}
