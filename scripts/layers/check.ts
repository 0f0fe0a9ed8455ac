import type { FolderImport } from './folder-graph';
import { BARRED, RINGS, Ring, SIDEWAYS } from './layer-table';

export interface LayerReport {
  /** Folders of src/ that the layer table does not place. */
  unplaced: string[];
  /** Imports against the layers, one line each with the reason. */
  violations: string[];
  /** Folder cycles, each as `a → b → a`. */
  cycles: string[];
  folders: number;
  edges: number;
}

interface Place {
  ring: Ring;
  ringIndex: number;
  index: number;
}

function placeOf(folder: string): Place | undefined {
  for (const [ringIndex, ring] of RINGS.entries()) {
    const index = ring.folders.indexOf(folder);
    if (index >= 0) return { ring, ringIndex, index };
  }
  return undefined;
}

/** Why `from` may not import `to`, or undefined when the layers allow it. */
export function refusal(from: string, to: string): string | undefined {
  const a = placeOf(from);
  const b = placeOf(to);
  if (!a || !b) return undefined;
  const barred = BARRED.find((rule) => rule.from === a.ring.name && rule.to === to);
  if (barred) return barred.reason;
  if (b.ringIndex > a.ringIndex) return undefined;
  if (b.ringIndex < a.ringIndex) {
    return `${a.ring.name} (${from}) may not import ${b.ring.name} (${to}), a ring above it`;
  }
  if (!a.ring.ordered) {
    return SIDEWAYS[from]?.[to] === undefined
      ? `one feature does not import another (${from} → ${to}); move what they share down a ring`
      : undefined;
  }
  return b.index > a.index
    ? undefined
    : `${to} is above ${from} in the ${a.ring.name} ring (${a.ring.folders.join(' > ')})`;
}

/** Strongly connected groups of two or more folders (Tarjan), each printed as one cycle. */
function folderCycles(nodes: string[], next: Map<string, Set<string>>): string[] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return groups.map((group) => `${group.join(' ⇄ ')}`);
}

/** Checks every cross-folder import of src/ against the layer table and looks for folder cycles. */
export function checkLayers(folders: string[], imports: FolderImport[]): LayerReport {
  const unplaced = folders.filter((folder) => !placeOf(folder));
  const violations: string[] = [];
  const next = new Map<string, Set<string>>();
  for (const { from, to, site } of imports) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
    const reason = refusal(from, to);
    if (reason) violations.push(`src/${site}: ${reason}`);
  }
  const edges = [...next.values()].reduce((sum, targets) => sum + targets.size, 0);
  const nodes = [...new Set([...folders, ...next.keys()])].sort();
  return {
    unplaced,
    violations,
    cycles: folderCycles(nodes, next),
    folders: nodes.length,
    edges,
  };
}
