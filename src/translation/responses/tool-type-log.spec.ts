import { loggableToolType } from './responses-tools';
import { ToolTypeLog } from './tool-type-log';

describe('ToolTypeLog', () => {
  it('names each type once, and past its bound says so once and names no more', () => {
    const lines: string[] = [];
    const log = new ToolTypeLog({ log: (line: string) => lines.push(line) }, 3);
    log.report(['a', 'b', 'a']);
    log.report(['c', 'd', 'e']);
    log.report(['f']);
    expect(lines).toEqual([
      'Tool type a has no Gemini equivalent here; left out of requests.',
      'Tool type b has no Gemini equivalent here; left out of requests.',
      'Tool type c has no Gemini equivalent here; left out of requests.',
      'More than 3 tool types without a Gemini equivalent seen; no more are logged.',
    ]);
  });
});

describe('loggableToolType', () => {
  it('cannot start a new log line', () => {
    const forged = 'x\n[Nest] 1  - LOG [Admin] password accepted\r\u2028';
    expect(loggableToolType(forged)).not.toMatch(/[\n\r\u2028]/);
  });

  it('cuts a long type', () => {
    expect(loggableToolType('t'.repeat(10_000)).length).toBeLessThanOrEqual(65);
  });

  it('names a type that is not a string', () => {
    expect(loggableToolType({ evil: true })).toBe('unknown');
  });
});
