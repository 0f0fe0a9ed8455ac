import { vertexBaseUrl } from './vertex-location';

describe('vertexBaseUrl', () => {
  it.each([
    ['global', undefined, 'https://aiplatform.googleapis.com'],
    ['us', undefined, 'https://aiplatform.us.rep.googleapis.com'],
    ['eu', undefined, 'https://aiplatform.eu.rep.googleapis.com'],
    ['us-central1', undefined, 'https://us-central1-aiplatform.googleapis.com'],
    [
      'europe-west4',
      'https://{location}-vertex.corp.example',
      'https://europe-west4-vertex.corp.example',
    ],
    ['us-central1', 'http://127.0.0.1:9', 'http://127.0.0.1:9'],
  ])('serves %s (override %s) from %s', (location, override, expected) => {
    expect(vertexBaseUrl(location, override)).toBe(expected);
  });
});
