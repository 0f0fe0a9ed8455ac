import {
  CodeAssistSetup,
  IneligibleAccountError,
  OnboardingTimeoutError,
  ProjectRequiredError,
} from '../upstream/code-assist/code-assist-setup';
import { chooseProject } from './login-project';

/** A stand-in for setUpCodeAssistProject: answers per project, remembering what it was asked. */
function setup(answers: Record<string, CodeAssistSetup | Error>) {
  const asked: (string | undefined)[] = [];
  const run = async (projectId?: string) => {
    asked.push(projectId);
    const answer = answers[projectId ?? '(none)'];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { run, asked };
}

const unsupported = new IneligibleAccountError([
  { reasonCode: 'UNSUPPORTED_CLIENT', reasonMessage: 'Individuals are no longer served.' },
]);

describe('chooseProject', () => {
  it('sets up the typed project and never discovers', async () => {
    const s = setup({ typed: { projectId: 'typed', tierId: 'standard-tier', onboarded: false } });
    await expect(chooseProject(s.run, 'typed', 'env')).resolves.toMatchObject({
      projectId: 'typed',
      source: 'typed',
    });
    expect(s.asked).toEqual(['typed']);
  });

  it('discovers without a project when none is typed', async () => {
    const s = setup({ '(none)': { projectId: 'found', tierId: 'free-tier', onboarded: true } });
    await expect(chooseProject(s.run, undefined, 'env')).resolves.toMatchObject({
      projectId: 'found',
      source: 'discovered',
    });
    expect(s.asked).toEqual([undefined]);
  });

  it.each([
    ['a project is required', new ProjectRequiredError('standard-tier')],
    ['the individual tier is refused', unsupported],
  ])('falls back on GOOGLE_CLOUD_PROJECT when %s', async (_name, error) => {
    const s = setup({
      '(none)': error,
      env: { projectId: 'env', tierId: 'standard-tier', onboarded: true },
    });
    await expect(chooseProject(s.run, undefined, 'env')).resolves.toMatchObject({
      projectId: 'env',
      source: 'GOOGLE_CLOUD_PROJECT',
    });
    expect(s.asked).toEqual([undefined, 'env']);
  });

  it('reports the fallback attempt when it fails too', async () => {
    const denied = new IneligibleAccountError([{ reasonCode: 'X', reasonMessage: 'no licence' }]);
    const s = setup({ '(none)': unsupported, env: denied });
    await expect(chooseProject(s.run, undefined, 'env')).rejects.toBe(denied);
  });

  it('passes the refusal on when GOOGLE_CLOUD_PROJECT is unset', async () => {
    const s = setup({ '(none)': unsupported });
    await expect(chooseProject(s.run, undefined, undefined)).rejects.toBe(unsupported);
  });

  it('does not retry with GOOGLE_CLOUD_PROJECT after other failures', async () => {
    const timeout = new OnboardingTimeoutError(3);
    const s = setup({ '(none)': timeout });
    await expect(chooseProject(s.run, undefined, 'env')).rejects.toBe(timeout);
    expect(s.asked).toEqual([undefined]);
  });

  it('does not fall back when the typed project is refused', async () => {
    const s = setup({ typed: unsupported });
    await expect(chooseProject(s.run, 'typed', 'env')).rejects.toBe(unsupported);
    expect(s.asked).toEqual(['typed']);
  });
});
