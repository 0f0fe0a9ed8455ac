import type { ExecutionContext } from '@nestjs/common';
import { RequestGuard } from './request.guard';

/** A guard that records when it ran, and answers or throws as told. */
class RecordingGuard {
  constructor(
    private readonly name: string,
    private readonly log: string[],
    private readonly answer: boolean | Error,
  ) {}

  canActivate(): boolean {
    this.log.push(this.name);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

const context = {} as ExecutionContext;

describe('RequestGuard', () => {
  it('reads the body only after the password is accepted', async () => {
    const log: string[] = [];
    const guard = new RequestGuard(
      new RecordingGuard('password', log, true),
      new RecordingGuard('body', log, true),
    );
    expect(await guard.canActivate(context)).toBe(true);
    expect(log).toEqual(['password', 'body']);
  });

  it('never reads the body of a request whose password is refused', () => {
    const log: string[] = [];
    const refused = new Error('401');
    const guard = new RequestGuard(
      new RecordingGuard('password', log, refused),
      new RecordingGuard('body', log, true),
    );
    expect(() => guard.canActivate(context)).toThrow(refused);
    expect(log).toEqual(['password']);
  });

  it('stops at a password guard that declines without throwing', () => {
    const log: string[] = [];
    const guard = new RequestGuard(
      new RecordingGuard('password', log, false),
      new RecordingGuard('body', log, true),
    );
    expect(guard.canActivate(context)).toBe(false);
    expect(log).toEqual(['password']);
  });
});
