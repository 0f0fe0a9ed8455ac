import { timestamp, toSrt, toVtt, transcriptOf } from './transcription-mapper';

const answer = (text: string) => ({ candidates: [{ content: { parts: [{ text }] } }] });

describe('transcriptOf', () => {
  it('reads segments from structured output and joins their text', () => {
    const json = JSON.stringify({
      language: 'german',
      segments: [
        { start: 0, end: 1.2, text: ' Hallo ' },
        { start: 1.2, end: 'x', text: 'Welt' },
      ],
    });
    expect(transcriptOf(answer(json), 'srt')).toEqual({
      text: 'Hallo Welt',
      language: 'german',
      segments: [
        { start: 0, end: 1.2, text: 'Hallo' },
        { start: 1.2, end: 1.2, text: 'Welt' },
      ],
    });
  });

  it('keeps a transcript that is not the JSON asked for as one segment', () => {
    expect(transcriptOf(answer('just words'), 'vtt').segments).toEqual([
      { start: 0, end: 0, text: 'just words' },
    ]);
  });

  it('takes plain text as it is for json and text', () => {
    expect(transcriptOf(answer(' Hello. '), 'json')).toEqual({ text: 'Hello.' });
  });
});

describe('subtitles', () => {
  it.each([
    [0, ',', '00:00:00,000'],
    [3.2505, '.', '00:00:03.251'],
    [3725.5, ',', '01:02:05,500'],
  ] as const)('writes %d s as %s-separated %s', (seconds, separator, expected) => {
    expect(timestamp(seconds, separator)).toBe(expected);
  });

  it('numbers SubRip cues and heads WebVTT', () => {
    const segments = [{ start: 0, end: 1, text: 'a' }];
    expect(toSrt(segments)).toBe('1\n00:00:00,000 --> 00:00:01,000\na\n');
    expect(toVtt(segments)).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na\n');
  });
});
