import {
  CodeAssistSetup,
  IneligibleAccountError,
  ProjectRequiredError,
} from '../upstream/code-assist/code-assist-setup';

export type ProjectSource = 'typed' | 'discovered' | 'GOOGLE_CLOUD_PROJECT';

export interface ChosenProject extends CodeAssistSetup {
  source: ProjectSource;
}

/**
 * The project a new credential will use: the one the user typed, else whatever Code Assist
 * discovers or onboards; GOOGLE_CLOUD_PROJECT only when discovery alone cannot find one
 * (standard-tier and licensed accounts, whose individual tier Google refuses).
 */
export async function chooseProject(
  setUp: (projectId?: string) => Promise<CodeAssistSetup>,
  typed: string | undefined,
  fallback: string | undefined,
): Promise<ChosenProject> {
  if (typed) return { ...(await setUp(typed)), source: 'typed' };
  try {
    return { ...(await setUp()), source: 'discovered' };
  } catch (error) {
    const fallbackHelps =
      error instanceof ProjectRequiredError || error instanceof IneligibleAccountError;
    if (!fallback || !fallbackHelps) throw error;
  }
  return { ...(await setUp(fallback)), source: 'GOOGLE_CLOUD_PROJECT' };
}
