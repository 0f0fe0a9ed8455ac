import type { ProjectSource } from './login-project';

/** What the views receive. Every string is escaped by the template; none holds a secret. */
export interface LoginPage {
  title: string;
  redirectUri: string;
  /** The default client with a public DOMAIN_NAME: the user needs their own Web client. */
  defaultClientNote: boolean;
  /** A Web client with a plain-http public DOMAIN_NAME, which Google refuses. */
  httpsNote: boolean;
  fallbackProject?: string;
  folder: string;
  fileCount: number;
  /** Why the folder cannot be listed (an errno code), so the form can warn before the login. */
  folderProblem?: string;
}

export interface SuccessPage {
  title: string;
  email: string;
  projectId: string;
  projectSource: ProjectSource;
  fromEnvironment: boolean;
  tierId: string;
  onboarded: boolean;
  fileName: string;
  folder: string;
  replaced: boolean;
  fileCount: number;
  plural: boolean;
}

export interface PageLink {
  url: string;
  text: string;
}

export interface ErrorPage {
  status: number;
  title: string;
  summary: string;
  account?: string;
  /** Google's own words, shown verbatim (escaped). */
  reasons: { code?: string; message: string; link?: PageLink }[];
  links: PageLink[];
  steps: string[];
}
