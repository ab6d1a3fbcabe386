/** The reference checks of pipelines: names, changers, account selectors. */
import type { KeyPath } from '../diagnostics';
import type { CheckContext } from './resolution';

export function checkPipelines(c: CheckContext): void {
  const pipelines = c.s.pipelines;
  if (!pipelines) return;
  for (const [name, pipeline] of Object.entries(pipelines)) {
    const path: KeyPath = ['pipelines', name];
    c.checkName(path, 'pipeline', name);
    if (!pipeline) continue;
    pipeline.changers.forEach((fn, j) => c.reference([...path, 'changers', j], 'function', fn, c.s.functions, 'functions'));
    if (pipeline.accounts !== undefined) c.resolveSelector([...path, 'accounts'], pipeline.accounts);
  }
}
