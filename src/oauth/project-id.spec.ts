import { LoginError } from './login-errors';
import { readProjectId } from './project-id';

describe('readProjectId', () => {
  it.each([
    ['my-project-123', 'my-project-123'],
    ['  my-project-123  ', 'my-project-123'],
    ['gen-lang-client-0123456789', 'gen-lang-client-0123456789'],
    ['example.com:legacy-proj', 'example.com:legacy-proj'],
    ['123456789012', '123456789012'],
  ])('accepts %j', (raw, id) => {
    expect(readProjectId(raw)).toBe(id);
  });

  it.each([[''], ['   '], [undefined], [null]])('treats %j as no project', (raw) => {
    expect(readProjectId(raw)).toBeUndefined();
  });

  it.each([
    ['My-Project'],
    ['abc'],
    ['../etc'],
    ['proj id'],
    ['-proj-123'],
    ['proj-123-'],
    ['<script>x'],
  ])('rejects %j', (raw) => {
    expect(() => readProjectId(raw)).toThrow(LoginError);
  });
});
