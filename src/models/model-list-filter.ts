/** Whether a model, by its name (`models/x` or `x`), belongs in the list a request is answered with. */
export type ModelListFilter = (model: string) => boolean;

const everyModel: ModelListFilter = () => true;
const filters = new WeakMap<object, ModelListFilter>();

/**
 * Narrows the model lists a request is answered with (a client key's models, DESIGN §13). The list
 * routes filter before they page, so that a page holds only models the caller may use.
 */
export function narrowModelList(req: object, filter: ModelListFilter): void {
  filters.set(req, filter);
}

/** The filter a request's model lists go through: every model unless something narrowed it. */
export function modelListFilter(req: object): ModelListFilter {
  return filters.get(req) ?? everyModel;
}
