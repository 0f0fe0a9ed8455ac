/**
 * The layers of src/, by folder, from the outside in. A folder may import any folder of a ring
 * below its own. Inside an ordered ring it may import the folders listed after it; inside the
 * features ring only what `SIDEWAYS` names. Every folder of src/ must appear here: a new folder
 * takes its place by role before it can pass `npm run lint` (docs/architecture.md#the-layers).
 */
export interface Ring {
  name: string;
  role: string;
  folders: readonly string[];
  /** Whether a folder may import the folders listed after it in the same ring. */
  ordered: boolean;
}

/** The files directly in src/ (the app module, main, bootstrap) count as this folder. */
export const ROOT = '(root)';

export const RINGS: readonly Ring[] = [
  {
    name: 'composition',
    role: 'puts the app together: the app module, bootstrap, and the store bindings with their Redis adapters',
    folders: [ROOT, 'state'],
    ordered: true,
  },
  {
    name: 'features',
    role: 'one module per wire API or page: routes, body rules, the flow of a request',
    folders: [
      'openai',
      'anthropic',
      'gemini',
      'responses',
      'media',
      'files',
      'dialects',
      'admin',
      'client-keys',
      'runtime-credentials',
      'oauth',
      'metrics',
    ],
    ordered: false,
  },
  {
    name: 'services',
    role: 'what every feature shares around a request: the password guard, request records, the usage ledger',
    folders: ['usage', 'logging', 'auth'],
    ordered: true,
  },
  {
    name: 'domain',
    role: 'the gateway itself, with no HTTP: translation, models, the upstream calls, quota, the credential pool',
    folders: ['translation', 'models', 'quota', 'upstream', 'credentials'],
    ordered: true,
  },
  {
    name: 'infrastructure',
    role: 'neutral building blocks: the Express edge, the request context, Redis, the database, the route out to Google (outbound proxies), the domain error, config, time, JSON',
    folders: [
      'http',
      'request',
      'redis',
      'database',
      'route-out',
      'errors',
      'config',
      'time',
      'json',
    ],
    ordered: true,
  },
];

/** The only imports between two features, each with its reason. */
export const SIDEWAYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  gemini: {
    files:
      'a batch job is created on the native model route (models/{model}:batchGenerateContent), which one controller owns',
  },
  media: {
    openai: "images and audio are OpenAI's API: its body pipe, error filter and field rules",
  },
  admin: {
    responses: "the console shows the Responses store's size through the store's interface",
  },
  'client-keys': {
    admin: "the keys' pages are console pages: its tabs and its same-origin check on forms",
    dialects:
      "a model a key may not use is refused in the route's dialect: 403 or 404 as its clients expect",
  },
  'runtime-credentials': {
    admin: 'the credentials page is a console page: its tabs and its same-origin check on forms',
    'client-keys': 'every change to the pool is written to the audit log the keys keep',
  },
  dialects: {
    openai: 'the shared model routes and error filter sit over the dialects they serve',
    anthropic: 'the shared model routes and error filter sit over the dialects they serve',
    gemini: 'the shared model routes and error filter sit over the dialects they serve',
    admin: "the admin pages' error shape is one of the dialects",
  },
};

/** Imports the ring order would allow but a folder's role forbids. */
export const BARRED: readonly { from: string; to: string; reason: string }[] = [
  {
    from: 'domain',
    to: 'http',
    reason:
      'the Express edge is for features and services; the domain takes plain values and signals',
  },
];
