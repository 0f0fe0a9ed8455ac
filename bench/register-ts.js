// Loads the benchmark's own TypeScript children (pass-through, Nest floor, fake Google) with
// `node -r ./bench/register-ts.js`: each .ts file is transpiled on require by TypeScript alone.
// Not ts-node: its register hook loads Node's REPL, and the REPL loads the `domain` module, which
// wraps EventEmitter's emit and constructor in every process it enters. That made the reference
// servers (the pass-through, the Nest floor) slower than the same code run as plain JavaScript,
// while the proxy runs as plain JavaScript from dist/.
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  inlineSourceMap: false,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
