import type { GeminiModel } from '../../models/model-catalogue';
import type { AnthropicModelInfo, AnthropicModelList } from './anthropic-types';

/** One fixed date (2.5's general availability) keeps the list stable between calls. */
const CREATED_AT = '2025-06-17T00:00:00Z';

const bareName = (m: GeminiModel): string => m.name.replace(/^models\//, '');

export function toAnthropicModel(m: GeminiModel): AnthropicModelInfo {
  const info: AnthropicModelInfo = {
    type: 'model',
    id: bareName(m),
    display_name: m.displayName ?? bareName(m),
    created_at: CREATED_AT,
  };
  if (typeof m.inputTokenLimit === 'number') info.max_input_tokens = m.inputTokenLimit;
  if (typeof m.outputTokenLimit === 'number') info.max_tokens = m.outputTokenLimit;
  return info;
}

export interface ModelPage {
  limit?: number;
  afterId?: string;
  beforeId?: string;
}

/** Anthropic's cursor page over the models (`after_id` / `before_id`, `limit` 1–1000, default 20). */
export function toAnthropicModelList(
  models: readonly GeminiModel[],
  page: ModelPage = {},
): AnthropicModelList {
  let data = models.map(toAnthropicModel);
  const limit = Math.min(1000, Math.max(1, page.limit ?? 20));
  let hasMore: boolean;
  if (page.beforeId !== undefined) {
    const end = Math.max(
      0,
      data.findIndex((m) => m.id === page.beforeId),
    );
    hasMore = end > limit;
    data = data.slice(Math.max(0, end - limit), end);
  } else {
    const start = page.afterId === undefined ? 0 : data.findIndex((m) => m.id === page.afterId) + 1;
    hasMore = start + limit < data.length;
    data = data.slice(start, start + limit);
  }
  return {
    data,
    has_more: hasMore,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}
