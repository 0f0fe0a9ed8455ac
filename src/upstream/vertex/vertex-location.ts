/**
 * The Vertex AI host for a location (DESIGN §4): the global endpoint, the `us`/`eu` multi-region
 * endpoints (`aiplatform.{location}.rep.googleapis.com`), or a regional one. VERTEX_ENDPOINT
 * replaces the host, with `{location}` in it filled in per credential.
 */
export function vertexBaseUrl(location: string, override: string | undefined): string {
  if (override) return override.replaceAll('{location}', location);
  if (location === 'global') return 'https://aiplatform.googleapis.com';
  if (location === 'us' || location === 'eu') {
    return `https://aiplatform.${location}.rep.googleapis.com`;
  }
  return `https://${location}-aiplatform.googleapis.com`;
}
