/**
 * Top self-time functions of a V8 `.cpuprofile` (from `npm run bench -- --profile <dir>`), and the
 * same time grouped by package, so a profile reads in a terminal:
 *
 *   node -r ts-node/register/transpile-only bench/profile-summary.ts <file.cpuprofile> [--skip-ms 3000] [--top 25]
 *
 * `--skip-ms` drops the first milliseconds of the profile (start-up), so that only the load counts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  group: string;
  ms: number;
  pct: number;
}

const ROOT = path.resolve(__dirname, '..');
const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** What a frame belongs to: our build, a package, Node's own JS, or V8 (GC, program). */
export function groupOf(url: string, name: string): string {
  if (META.has(name)) return name;
  if (!url) return '(native)';
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1];
  if (file.startsWith('node:')) return 'node:internal';
  const rel = path.relative(ROOT, file);
  if (rel.startsWith('dist/'))
    return `proxy ${rel.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')}`;
  return rel;
}

export function summarise(
  profile: CpuProfile,
  skipMs = 0,
): { total: number; byFunction: SelfTime[]; byGroup: SelfTime[] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, SelfTime>();
  const group = new Map<string, SelfTime>();
  let t = profile.startTime;
  let total = 0;
  const skipUntil = profile.startTime + skipMs * 1000;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // The time until the next sample is the time this one stands for.
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (t < skipUntil) continue;
    const node = nodes.get(profile.samples[i]);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') continue;
    total += dt;
    const g = groupOf(url, name);
    const where = url
      ? `${g.startsWith('proxy ') ? g.slice(6) : path.basename(url)}:${lineNumber + 1}`
      : '';
    const key = `${name} ${where}`;
    add(fn, key, { name, where, group: g }, dt);
    add(group, g, { name: g, where: '', group: g }, dt);
  }
  const ranked = (m: Map<string, SelfTime>) =>
    [...m.values()].map((s) => ({ ...s, pct: (s.ms / total) * 100 })).sort((a, b) => b.ms - a.ms);
  return { total, byFunction: ranked(fn), byGroup: ranked(group) };
}

function add(
  map: Map<string, SelfTime>,
  key: string,
  base: Omit<SelfTime, 'ms' | 'pct'>,
  ms: number,
) {
  const entry = map.get(key);
  if (entry) entry.ms += ms;
  else map.set(key, { ...base, ms, pct: 0 });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  if (!file) {
    process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [--skip-ms N] [--top N]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const top = flag('top', 25);
  const { total, byFunction, byGroup } = summarise(profile, flag('skip-ms', 0));
  const line = (s: SelfTime) =>
    `${s.ms.toFixed(0).padStart(7)} ms ${s.pct.toFixed(1).padStart(5)} %  ${s.name}${s.where ? `  (${s.where})` : ''}`;
  process.stdout.write(
    `${path.basename(file)}: ${(total / 1000).toFixed(2)} s of CPU (idle excluded)\n\n`,
  );
  process.stdout.write(
    `Self time by function\n${byFunction.slice(0, top).map(line).join('\n')}\n\n`,
  );
  process.stdout.write(`Self time by package\n${byGroup.slice(0, top).map(line).join('\n')}\n`);
}
