// Everything the worker registers as workflows. Only workflow functions are exported here.
export { promotionWorkflow } from './promotion';
export { rollbackWorkflow } from './rollback';
