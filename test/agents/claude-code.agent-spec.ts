import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle, type GeminiResponse } from '../fake-google/fake-google';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from '../support/proxy';

const CLAUDE = path.resolve(__dirname, '../../.agents/node_modules/.bin/claude');
const KEY = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
/** Claude Code's model for the task, and the Gemini model MODEL_ALIASES sends it to. */
const MAIN_MODEL = 'claude-sonnet-4-5';
const GEMINI_MODEL = 'gemini-3-pro-preview';
const FINAL_ANSWER = 'I created proof.txt with the Bash tool.';

function bashCall(command: string): GeminiResponse[] {
  return [
    {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              {
                functionCall: {
                  name: 'Bash',
                  args: { command, description: 'Create the proof file' },
                },
                thoughtSignature: 'Y2xhdWRlLWNvZGUtc2lnbmF0dXJl',
              },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 900, candidatesTokenCount: 12, totalTokenCount: 912 },
    },
  ];
}

function textAnswer(text: string): GeminiResponse[] {
  return [
    {
      candidates: [
        { content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: { promptTokenCount: 950, candidatesTokenCount: 9, totalTokenCount: 959 },
    },
  ];
}

function run(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      CLAUDE,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 10 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // Print mode waits 3 s for piped input unless stdin is closed.
    child.stdin?.end();
  });
}

describe('Claude Code 2.1.328 against the proxy', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let home: string;
  let workdir: string;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      MODEL_ALIASES: JSON.stringify({ [MAIN_MODEL]: GEMINI_MODEL, 'claude-*': 'gemini-2.5-flash' }),
    });
    home = mkdtempSync(path.join(tmpdir(), 'claude-home-'));
    workdir = mkdtempSync(path.join(tmpdir(), 'claude-work-'));
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(workdir, { recursive: true, force: true });
  });

  it('runs its Bash tool to create a file, then prints the final answer', async () => {
    const proof = path.join(workdir, 'proof.txt');
    fake.enqueue(
      { stream: bashCall(`echo made-by-claude-code > ${proof}`) },
      { model: GEMINI_MODEL },
    );
    fake.enqueue({ stream: textAnswer(FINAL_ANSWER) }, { model: GEMINI_MODEL });

    const result = await run(
      [
        '-p',
        'Create proof.txt in the current folder.',
        '--model',
        MAIN_MODEL,
        '--allowedTools',
        'Bash',
      ],
      {
        cwd: workdir,
        timeoutMs: 90_000,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          ANTHROPIC_BASE_URL: proxy.url,
          ANTHROPIC_API_KEY: TEST_PASSWORD,
          DISABLE_TELEMETRY: '1',
          DISABLE_ERROR_REPORTING: '1',
          DISABLE_AUTOUPDATER: '1',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
      },
    );

    const calls = fake.requests.filter(
      (r) => r.action === 'streamGenerateContent' || r.action === 'generateContent',
    );
    const detail = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}\ncalls: ${calls
      .map((c) => `${c.action} ${c.model}`)
      .join(', ')}`;
    expect({ exists: existsSync(proof), detail }).toEqual({ exists: true, detail });
    expect(readFileSync(proof, 'utf8').trim()).toBe('made-by-claude-code');
    expect(result.stdout).toContain(FINAL_ANSWER);
    expect(result.code).toBe(0);

    // The second turn went out streamed, with the tool's result and the call's thought signature
    // that Claude Code echoed back inside its thinking block.
    const second = calls.find((c) => JSON.stringify(c.body).includes('functionResponse'));
    expect(second?.action).toBe('streamGenerateContent');
    const contents = (
      second?.body as { contents: { role: string; parts: Record<string, unknown>[] }[] }
    ).contents;
    const model = contents.find((c) => c.role === 'model');
    expect(model?.parts[0]).toMatchObject({
      functionCall: { name: 'Bash' },
      thoughtSignature: 'Y2xhdWRlLWNvZGUtc2lnbmF0dXJl',
    });

    // Claude Code's JSON Schema 2020-12 tool schemas reached Google in Gemini's subset.
    const tools = JSON.stringify((calls[0].body as { tools: unknown }).tools);
    expect(tools).toContain('"name":"Bash"');
    expect(tools).not.toMatch(
      /"\$schema"|"additionalProperties"|"propertyNames"|"exclusiveMinimum"/,
    );
  });
});
