import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  documentationPages,
  findBrokenLinks,
  headingSlug,
  pageAnchors,
} from './support/docs-links';

const root = join(__dirname, '..');

describe('the documentation', () => {
  it('has no relative link or #anchor that leads nowhere, in README.md and docs/', () => {
    const pages = documentationPages(root);
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
    expect(findBrokenLinks(root, pages)).toEqual([]);
  });

  it('keeps README.md within 300 lines', () => {
    const lines = readFileSync(join(root, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(300);
  });
});

describe('the link check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'docs-links-'));
    mkdirSync(join(dir, 'docs', 'clients'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, text: string) => writeFileSync(join(dir, path), text);

  it.each([
    ['Quick start', 'quick-start'],
    ['Logging Google accounts in (`--gen-creds`)', 'logging-google-accounts-in---gen-creds'],
    ['Routes under `/v1`', 'routes-under-v1'],
    [
      'Security: what is checked before authentication, and the limits',
      'security-what-is-checked-before-authentication-and-the-limits',
    ],
    ['[Claude Code](x.md) and the Anthropic API', 'claude-code-and-the-anthropic-api'],
    ['snake_case **bold** 0001. Express', 'snake_case-bold-0001-express'],
  ])('slugs the heading %j as GitHub does: %s', (heading, slug) => {
    expect(headingSlug(heading)).toBe(slug);
  });

  it('numbers repeated headings, takes <a id> anchors and ignores headings inside code blocks', () => {
    const anchors = pageAnchors(
      '# Page\n## Usage\n## Usage\n<a id="old-name"></a>\n```bash\n# not a heading\n```\n',
    );
    expect([...anchors]).toEqual(['page', 'usage', 'usage-1', 'old-name']);
  });

  it('finds a link to a missing file, a missing anchor and a missing anchor on the same page', () => {
    write(
      'README.md',
      '# Top\n[ok](docs/a.md#usage) [gone](docs/missing.md)\n[here](#top) [nowhere](#bottom)\n',
    );
    write('docs/a.md', '# A\n## Usage\n[back](../README.md#top) [bad](../README.md#quick-start)\n');
    expect(findBrokenLinks(dir, documentationPages(dir))).toEqual([
      { page: 'README.md', line: 2, target: 'docs/missing.md', problem: 'no file docs/missing.md' },
      { page: 'README.md', line: 3, target: '#bottom', problem: 'no heading or anchor #bottom' },
      {
        page: 'docs/a.md',
        line: 3,
        target: '../README.md#quick-start',
        problem: 'no heading or anchor #quick-start',
      },
    ]);
  });

  it('walks docs/ subfolders and leaves absolute URLs, code spans and code blocks alone', () => {
    write(
      'README.md',
      '# Top\n[site](https://example.com/x#y) `[code](nowhere.md)`\n```md\n[x](nowhere.md)\n```\n',
    );
    write(
      'docs/clients/b.md',
      '# B\n[up](../../README.md#top) [dir](../clients/) [lost](../c.md)\n',
    );
    expect(documentationPages(dir)).toEqual(['README.md', 'docs/clients/b.md']);
    expect(findBrokenLinks(dir, documentationPages(dir))).toEqual([
      { page: 'docs/clients/b.md', line: 2, target: '../c.md', problem: 'no file ../c.md' },
    ]);
  });
});
