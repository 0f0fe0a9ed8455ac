import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { FakeGoogle, type RecordedRequest } from '../fake-google/fake-google';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from '../support/proxy';

const CODEX = path.resolve(__dirname, '../../.agents/node_modules/.bin/codex');
const KEY = 'AIzaFakeKeyCCCCCCCCCCCCCCCCCCCCCCCCccccc';
const MODEL = 'gemini-3-pro-preview';
const SIGNATURE = 'c2lnLWNvZGV4LXNoZWxs';
const PATCH = [
  '*** Begin Patch',
  '*** Update File: notes.txt',
  '@@',
  '-hello',
  '+hello world',
  '*** End Patch',
  '',
].join('\n');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Codex CLI with only loopback reachable: every other host goes to a proxy that refuses. */
function runCodex(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(CODEX, args, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        TERM: 'dumb',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        ALL_PROXY: 'http://127.0.0.1:9',
        NO_PROXY: '127.0.0.1,localhost',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Codex offers its free-form `apply_patch` tool only to models its catalogue marks so; the
 * pinned binary's own entry for such a model, renamed, makes the Gemini model one of them.
 */
async function modelCatalog(codexHome: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(CODEX, ['debug', 'models'], {
    env: { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const catalog = JSON.parse(stdout) as { models: Body[] };
  const template = catalog.models.find(
    (m) => m.apply_patch_tool_type === 'freeform' && m.tool_mode === undefined,
  );
  if (!template) throw new Error('no catalogue entry with a free-form apply_patch tool');
  const file = path.join(codexHome, 'catalog.json');
  writeFileSync(file, JSON.stringify({ models: [{ ...template, slug: MODEL }] }));
  return file;
}

describe('Codex CLI through /v1/responses', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let root: string;

  const modelCalls = (): (RecordedRequest & { body: Body })[] =>
    fake.requests.filter(
      (r) => r.action === 'generateContent' || r.action === 'streamGenerateContent',
    ) as (RecordedRequest & { body: Body })[];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
    root = mkdtempSync(path.join(tmpdir(), 'codex-agent-'));
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('creates a file with its shell tool and edits it with apply_patch', async () => {
    const home = path.join(root, 'home');
    const codexHome = path.join(root, 'codex-home');
    const work = path.join(root, 'work');
    for (const dir of [home, codexHome, work]) mkdirSync(dir);
    const env = { HOME: home, CODEX_HOME: codexHome, GPROXY_API_KEY: TEST_PASSWORD };
    const catalog = await modelCatalog(codexHome, env);
    writeFileSync(
      path.join(codexHome, 'config.toml'),
      [
        `model = "${MODEL}"`,
        'model_provider = "gproxy"',
        `model_catalog_json = "${catalog}"`,
        'check_for_update_on_startup = false',
        '[analytics]',
        'enabled = false',
        '[model_providers.gproxy]',
        'name = "Gemini rotating proxy"',
        `base_url = "${proxy.url}/v1"`,
        'wire_api = "responses"',
        'env_key = "GPROXY_API_KEY"',
        'request_max_retries = 0',
        'stream_max_retries = 0',
        '',
      ].join('\n'),
    );

    // The model's three turns: a shell call (signed, as Gemini 3 signs), the patch, the summary.
    fake.enqueue({
      response: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: {
                    name: 'exec_command',
                    args: { cmd: "printf 'hello\\n' > notes.txt" },
                  },
                  thoughtSignature: SIGNATURE,
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110 },
      },
    });
    fake.enqueue({
      response: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ functionCall: { name: 'apply_patch', args: { input: PATCH } } }],
            },
            finishReason: 'STOP',
          },
        ],
      },
    });
    fake.enqueue({
      response: {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'Created notes.txt and patched it.' }] },
            finishReason: 'STOP',
          },
        ],
      },
    });

    const run = await runCodex(
      [
        'exec',
        '--skip-git-repo-check',
        '--dangerously-bypass-approvals-and-sandbox',
        'Create notes.txt containing hello with the shell, then patch it to say hello world.',
      ],
      env,
      work,
    );

    const notes = path.join(work, 'notes.txt');
    // On failure the assertion shows what Codex printed.
    const failure = run.code === 0 ? '' : `${run.stdout}\n${run.stderr}`.slice(-3000);
    expect({ code: run.code, exists: existsSync(notes), failure }).toEqual({
      code: 0,
      exists: true,
      failure: '',
    });
    expect(readFileSync(notes, 'utf8')).toBe('hello world\n');
    expect(run.stdout).toContain('Created notes.txt and patched it.');

    const calls = modelCalls();
    expect(calls.length).toBeGreaterThanOrEqual(3);
    // Codex offered apply_patch as a custom tool: Gemini saw one string argument.
    const declared = (calls[0].body.tools as Body[]).flatMap(
      (t) => (t.functionDeclarations as Body[] | undefined) ?? [],
    );
    expect(declared.find((d) => d.name === 'apply_patch')?.parameters).toMatchObject({
      properties: { input: { type: 'string' } },
    });
    // Codex sent store:false: the signature came back only inside encrypted_content.
    const second = calls[1].body.contents as Body[];
    const replayed = second
      .flatMap((c) => c.parts as Body[])
      .find((p) => p.functionCall?.name === 'exec_command');
    expect(replayed?.thoughtSignature).toBe(SIGNATURE);
    const output = second
      .flatMap((c) => c.parts as Body[])
      .find((p) => p.functionResponse?.name === 'exec_command');
    expect(output).toBeDefined();
    const third = calls[2].body.contents as Body[];
    expect(
      third
        .flatMap((c) => c.parts as Body[])
        .some((p) => p.functionResponse?.name === 'apply_patch'),
    ).toBe(true);
  });
});
