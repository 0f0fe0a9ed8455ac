/** One server-sent event carrying only data (OpenAI chat, Google's `alt=sse`). */
export function sseData(data: string): string {
  return `data: ${data}\n\n`;
}

/** One named server-sent event whose data repeats its name as `type` (Responses, Anthropic). */
export function sseEvent(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
