import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A relative link in a Markdown page that leads nowhere. */
export interface BrokenLink {
  page: string;
  line: number;
  target: string;
  problem: string;
}

/** README.md and every Markdown page under docs/, as paths relative to `root`. */
export function documentationPages(root: string): string[] {
  const pages = existsSync(join(root, 'README.md')) ? ['README.md'] : [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk('docs');
  return pages;
}

/** The page's lines, with fenced code blocks blanked: what is in them is never a link or heading. */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opening) {
      fence = opening;
      return '';
    }
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) fence = undefined;
      return '';
    }
    return line;
  });
}

/**
 * GitHub's heading ids (github-slugger): the heading's text as rendered (code spans, links and
 * emphasis reduced to their text), lower-cased, punctuation dropped except `-` and `_`, each space
 * a hyphen; a repeated id gets `-1`, `-2`, … in order.
 */
export function headingSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every id a link may point at in a page: its headings' slugs and explicit `<a id>`/`<a name>`. */
export function pageAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = headingSlug(heading);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  }
  return anchors;
}

const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** Checks every relative link of the pages: the file it names exists, and so does its #anchor. */
export function findBrokenLinks(root: string, pages: string[]): BrokenLink[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string): Set<string> => {
    let found = anchorsOf.get(file);
    if (!found) {
      found = pageAnchors(readFileSync(file, 'utf8'));
      anchorsOf.set(file, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  for (const page of pages) {
    const from = resolve(root, page);
    proseLines(readFileSync(from, 'utf8')).forEach((text, index) => {
      // Code spans are not links; a link whose text is code still matches with empty text.
      const line = text.replace(/`[^`]*`/g, '');
      for (const [, target] of line.matchAll(LINK)) {
        const problem = problemOf(target, from, anchors);
        if (problem) broken.push({ page, line: index + 1, target, problem });
      }
    });
  }
  return broken;
}

function problemOf(
  target: string,
  from: string,
  anchors: (file: string) => Set<string>,
): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? from : resolve(dirname(from), path);
  if (!existsSync(file)) return `no file ${relative(dirname(from), file) || path}`;
  if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) {
    return undefined;
  }
  return anchors(file).has(anchor) ? undefined : `no heading or anchor #${anchor}`;
}
