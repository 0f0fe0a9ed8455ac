// `npm run lint`'s Kubernetes check, offline: every document in deploy/k8s/*.yaml must match the
// Kubernetes schema of its apiVersion and kind (kubernetes-models bundles the schemas).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
let failures = 0;
let checked = 0;
for (const file of readdirSync(here).filter((f) => f.endsWith('.yaml')).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(here, file), 'utf8'))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const { apiVersion, kind } = object;
    try {
      // `apps/v1` → kubernetes-models/apps/v1/Deployment; the core `v1` → kubernetes-models/v1/Service.
      const model = await import(`kubernetes-models/${apiVersion}/${kind}`);
      new model[kind](object).validate();
      checked++;
    } catch (error) {
      console.error(`${file}: ${kind} ${object.metadata?.name ?? ''}: ${error.message}`);
      failures++;
    }
  }
}
if (failures > 0) process.exit(1);
console.log(`deploy/k8s: ${checked} manifests valid`);
