import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import rules inside folders. The layers between the folders of src/ are checked by
 * scripts/check-layers.ts (`npm run lint:layers`), which resolves every import to its folder.
 * Relative imports are matched here by the folder they reach, at any depth (`../x`, `../../x`).
 */
const FEATURES = [
  'openai',
  'gemini',
  'anthropic',
  'responses',
  'admin',
  'oauth',
  'auth',
  'metrics',
  'logging',
  'dialects',
];
const reach = (folder) =>
  ['../', '../../', '../../../'].flatMap((up) => [`${up}${folder}`, `${up}${folder}/**`]);
const forbid = (folders, message) => ({ group: folders.flatMap(reach), message });
const NO_EXPRESS = {
  name: 'express',
  message: 'Express stays at the edge: controllers, filters, guards, middleware and src/http.',
};
/** Files that may speak Express: the HTTP edge and the app's bootstrap. */
const EXPRESS_EDGE = [
  'src/**/*.controller.ts',
  'src/**/*.filter.ts',
  'src/**/*.guard.ts',
  'src/**/*.middleware.ts',
  'src/**/*.interceptor.ts',
  'src/**/*.spec.ts',
  'src/http/**',
  'src/bootstrap.ts',
  'src/oauth/generator-bootstrap.ts',
  'src/oauth/views.ts',
];
const layer = (folder, patterns) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { paths: [NO_EXPRESS], patterns }],
  },
});
/**
 * The client dialects that have a translation folder (native Gemini has none: it speaks Google's
 * own format). A dialect's folders, `src/<d>/` and `src/translation/<d>/`, never import another
 * dialect's; what two dialects share lives in `src/translation/common/`, which imports none.
 */
const DIALECTS = ['openai', 'anthropic', 'responses'];
const DIALECT_MESSAGE =
  'One dialect never imports another: what two dialects share goes to src/translation/common/.';
const dialectFolders = (dialects) =>
  dialects.flatMap((d) => [`**/translation/${d}`, `**/translation/${d}/**`]);
const TRANSLATION_RULE = forbid(
  ['http', ...FEATURES],
  'translation/ is pure mapping: no HTTP edge, no feature modules, and one dialect folder never imports another.',
);
const others = (own) => DIALECTS.filter((d) => d !== own);
/** A dialect's translation folder: the translation rules, and no sibling dialect (`../x` or by path). */
const translationDialect = (own) =>
  layer(`translation/${own}`, [
    TRANSLATION_RULE,
    {
      group: others(own)
        .flatMap((d) => [`../${d}`, `../${d}/**`])
        .concat(dialectFolders(others(own))),
      message: DIALECT_MESSAGE,
    },
  ]);
/** A dialect's feature folder: no other dialect's feature or translation folder. */
const featureDialect = (own) => {
  const patterns = [
    forbid(others(own), DIALECT_MESSAGE),
    { group: dialectFolders(others(own)), message: DIALECT_MESSAGE },
  ];
  return [
    {
      files: [`src/${own}/**/*.ts`],
      ignores: EXPRESS_EDGE,
      rules: { 'no-restricted-imports': ['error', { paths: [NO_EXPRESS], patterns }] },
    },
    {
      files: EXPRESS_EDGE.filter((f) => f.startsWith('src/**')).map((f) =>
        f.replace('src/**', `src/${own}/**`),
      ),
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    },
  ];
};

const BOUNDARIES = [
  {
    files: ['src/**/*.ts'],
    ignores: EXPRESS_EDGE,
    rules: { 'no-restricted-imports': ['error', { paths: [NO_EXPRESS] }] },
  },
  // From translation/anthropic, `../responses` is the sibling dialect; from translation/ itself
  // it is the feature module. Both are out of bounds, as is every other feature.
  layer('translation', [TRANSLATION_RULE]),
  ...DIALECTS.map(translationDialect),
  layer('translation/common', [
    TRANSLATION_RULE,
    {
      group: DIALECTS.flatMap((d) => [`../${d}`, `../${d}/**`]).concat(dialectFolders(DIALECTS)),
      message: 'translation/common/ is what dialects share: it imports no dialect.',
    },
  ]),
  ...DIALECTS.flatMap(featureDialect),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...BOUNDARIES,
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
