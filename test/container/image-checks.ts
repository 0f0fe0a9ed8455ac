import { seconds } from './check-report';
import { docker, inspect } from './docker-cli';

/** `docker build --network host` (RUN npm ci needs the registry); docker's last lines on failure. */
export async function buildImage(image: string, context: string): Promise<string> {
  const started = Date.now();
  const build = await docker(
    ['build', '--network', 'host', '--force-rm', '--tag', image, context],
    20 * 60_000,
  );
  if (build.code !== 0) {
    const tail = `${build.stdout}${build.stderr}`.trimEnd().split('\n').slice(-40).join('\n');
    throw new Error(`${build.timedOut ? 'timed out' : `exit ${build.code}`}\n${tail}`);
  }
  return `docker build --network host -t ${image} . in ${seconds(Date.now() - started)}`;
}

/** The image's configuration as the Dockerfile promises it. */
export async function imageMetadata(image: string): Promise<string> {
  const config = JSON.parse(await inspect(image, '{{json .Config}}')) as {
    User?: string;
    Env?: string[];
    ExposedPorts?: Record<string, unknown>;
    Healthcheck?: { Test?: string[] };
    Volumes?: Record<string, unknown>;
  };
  const problems = [
    config.User === 'node' ? '' : `user is "${config.User}"`,
    config.Env?.includes('NODE_ENV=production') ? '' : 'NODE_ENV is not production',
    config.ExposedPorts?.['7860/tcp'] ? '' : '7860 is not exposed',
    config.Healthcheck?.Test?.includes('node') ? '' : 'no node HEALTHCHECK',
    config.Volumes?.['/data/credentials'] ? '' : 'no /data/credentials volume',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return 'user node, EXPOSE 7860, NODE_ENV=production, HEALTHCHECK, VOLUME /data/credentials';
}

/** The image's size, and what its own layers add to the base image's. */
export async function imageSizes(image: string, baseImage: string): Promise<string> {
  const mb = (bytes: string) => Number(bytes) / 1e6;
  const size = mb(await inspect(image, '{{.Size}}'));
  const baseSize = await inspect(baseImage, '{{.Size}}').then(mb, () => undefined);
  if (baseSize === undefined) return `${size.toFixed(1)} MB`;
  const added = (size - baseSize).toFixed(1);
  return `${size.toFixed(1)} MB (${baseImage} ${baseSize.toFixed(1)} MB + the app's layers ${added} MB)`;
}
