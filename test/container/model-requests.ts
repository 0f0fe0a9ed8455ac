/** The two model calls the container test makes, each returning the model's text. */

interface GeminiReply {
  candidates?: { content?: { parts?: { text?: string }[] } }[];
}
interface OpenAiReply {
  choices?: { message?: { content?: string | null } }[];
}

/** POST /v1beta/models/gemini-2.5-flash:generateContent; the fake Google echoes the prompt. */
export async function nativeRequest(
  base: string,
  password: string,
  prompt: string,
): Promise<string> {
  const res = await fetch(`${base}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': password },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const reply = parse<GeminiReply>(text);
  const answer = reply?.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? '';
  if (res.status !== 200 || !answer.includes(prompt)) {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  return `"${answer}"`;
}

/** POST /v1/chat/completions, non-streaming. */
export async function openAiRequest(
  base: string,
  password: string,
  prompt: string,
): Promise<string> {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${password}` },
    body: JSON.stringify({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: prompt }],
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const answer = parse<OpenAiReply>(text)?.choices?.[0]?.message?.content ?? '';
  if (res.status !== 200 || !answer.includes(prompt)) {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  return `"${answer}"`;
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined; // reported with the raw text
  }
}
