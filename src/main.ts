import 'reflect-metadata';
import { startProxy } from './bootstrap';
import { checkEnvironment } from './config/configuration';
import { ConfigValidationError } from './config/env.validation';

async function main(): Promise<void> {
  checkEnvironment();
  if (process.argv.includes('--gen-creds')) {
    const { startGenerator } = await import('./oauth/generator-bootstrap');
    await startGenerator();
    return;
  }
  await startProxy();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
  } else {
    console.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
