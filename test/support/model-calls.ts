import type { FakeGoogle, RecordedRequest } from '../fake-google/fake-google';

/** Google's request bodies, read loosely: the assertions say what each field must be. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

/** The bodies the fake Google received for model calls (generate and stream), oldest first. */
export function modelCallsTo(fake: FakeGoogle): (RecordedRequest & { body: Body })[] {
  return fake.requests.filter(
    (r) => r.action === 'generateContent' || r.action === 'streamGenerateContent',
  ) as (RecordedRequest & { body: Body })[];
}
