// The Power model of Alglave, Maranget, Tautschnig, "Herding Cats: Modelling, Simulation,
// Testing, and Data Mining for Weak Memory", TOPLAS 36(2), 2014, section 6 (Power), as herd7
// runs it (herdtools7 herd/libdir/ppc.cat with ppo.cat, ppcfences.cat and ppc-checks.cat).
// Each axiom below carries the name herd gives it; `check` reports the first that fails.

import type { Communication, StaticGraph } from './graph.js';
import { Rel } from './relation.js';

export type Axiom = 'sc-per-location' | 'atomic' | 'thin-air' | 'propagation' | 'observation' | 'scXX' | 'sc';

/** Preserved program order (TOPLAS 2014 figure 25; herd ppo.cat): the ii/ic/ci/cc fixpoint. */
export function preservedProgramOrder(g: StaticGraph, c: Communication): Rel {
  const dd = g.addr.union(g.data);
  // rdw: two reads of one location on a thread, the first from before and the second from
  // after another thread's write (po-loc & (fre;rfe)); detour: a write of this thread
  // overtaken by another thread's write that a later read of this thread sees
  // (po-loc & (coe;rfe)).
  const rdw = g.poloc.inter(c.fre.seq(c.rfe));
  const detour = g.poloc.inter(c.coe.seq(c.rfe));
  const addrpo = g.addr.seq(g.po);
  const ci0 = g.ctrlisync.union(detour);
  const ii0 = dd.union(c.rfi, rdw);
  const cc0 = dd.union(g.poloc, g.ctrl, addrpo);
  const ic0 = Rel.empty(g.n);
  let ci = ci0;
  let ii = ii0;
  let cc = cc0;
  let ic = ic0;
  // The least fixpoint of the four mutually recursive equations; every step only adds pairs.
  for (;;) {
    const ci2 = ci0.union(ci.seq(ii), cc.seq(ci));
    const ii2 = ii0.union(ci2, ic.seq(ci2), ii.seq(ii));
    const cc2 = cc0.union(ci2, ci2.seq(ic), cc.seq(cc));
    const ic2 = ic0.union(ii2, cc2, ic.seq(cc2), ii2.seq(ic));
    if (ci2.equals(ci) && ii2.equals(ii) && cc2.equals(cc) && ic2.equals(ic)) break;
    ci = ci2;
    ii = ii2;
    cc = cc2;
    ic = ic2;
  }
  return ii.restrict(g.R, g.R).union(ic.restrict(g.R, g.W));
}

/** Per-location coherence and the atomicity of lwarx/stwcx. pairs: shared by both models. */
export function uniproc(g: StaticGraph, c: Communication): Axiom | null {
  if (!g.poloc.union(c.rf, c.fr, c.co).acyclic()) return 'sc-per-location';
  // atomic: no write of another thread comes between a reservation's read and its store
  // (empty rmw & (fre;coe)); Sarkar et al. PLDI 2012, section 3.
  if (!g.rmw.inter(c.fre.seq(c.coe)).isEmpty()) return 'atomic';
  return null;
}

/** ppc.cat's fence relations and its happens-before, hb = ppo | fences | rfe. */
export interface PowerOrders {
  readonly ppo: Rel;
  /** sync and ptesync (cumulative, order everything). */
  readonly strong: Rel;
  readonly fence: Rel;
  readonly hb: Rel;
}

export function happensBefore(g: StaticGraph, c: Communication): PowerOrders {
  const ppo = preservedProgramOrder(g, c);
  // Fences (ppc.cat): lwsync does not order a write before a later read; eieio orders only
  // writes (Power ISA v3.0B Book II 1.7.1: eieio orders stores to memory with the
  // Memory Coherence attribute); sync (and ptesync) order everything and are cumulative.
  const WR = Rel.product(g.W, g.R);
  const strong = g.fences.sync;
  const light = g.fences.lwsync.minus(WR).union(g.fences.eieio.restrict(g.W, g.W));
  const fence = strong.union(light);
  return { ppo, strong, fence, hb: ppo.union(fence, c.rfe) };
}

/** Returns null when the candidate is allowed by Power, else the axiom it violates. */
export function checkPower(g: StaticGraph, c: Communication): Axiom | null {
  const u = uniproc(g, c);
  if (u) return u;
  const { strong, fence, hb } = happensBefore(g, c);
  if (!hb.acyclic()) return 'thin-air';
  const hbstar = hb.star();
  const propbase = fence.union(c.rfe.seq(fence)).seq(hbstar);
  const chapo = c.rfe.union(c.fre, c.coe, c.fre.seq(c.rfe), c.coe.seq(c.rfe));
  const prop = propbase.restrict(g.W, g.W).union(chapo.opt().seq(propbase.star()).seq(strong).seq(hbstar));
  if (!c.co.union(prop).acyclic()) return 'propagation';
  if (!c.fre.seq(prop).seq(hbstar).irreflexive()) return 'observation';
  // Exclusive accesses of one thread stay in coherence order with program order.
  if (!c.co.union(g.po.restrict(g.EX, g.EX)).acyclic()) return 'scXX';
  return null;
}

/** Sequential consistency (Lamport 1979; TOPLAS 2014 section 4.6): acyclic(po|com). */
export function checkSc(g: StaticGraph, c: Communication): Axiom | null {
  const u = uniproc(g, c);
  if (u) return u;
  if (!g.po.union(c.rf, c.co, c.fr).acyclic()) return 'sc';
  return null;
}
