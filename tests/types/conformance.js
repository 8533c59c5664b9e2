// Type-checked only (`npx tsc -p .`), never run: the element as written (www/element.js) must
// be what www/paxos-scope.d.ts declares to users, and the entry module must export it.
import { PaxosScope } from '../../www/paxoscope.js';

/** @type {typeof import('../../www/paxos-scope').PaxosScope} */
export const declared = PaxosScope;

/** @param {import('../../www/paxos-scope').PaxosScope} el */
export function usesTheApi(el) {
  /** @type {import('../../www/paxos-scope').PaxosSnapshot} */
  const s = el.snapshot();
  el.moveMessageBefore(1, 2);
  el.addEventListener('paxos-change', (e) => e.detail.step);
  return s.step;
}
