// Types used inside www/ (JSDoc `import('./types').X`), checked by `npx tsc -p .`.
// Not part of the public API: that is paxos-scope.d.ts.
import type { PaxosSnapshot } from './paxos-scope';

/** sim.frame(mark) (docs/wasm-api.md): the snapshot's fields, `log` and `history` as deltas when not `full`. */
export interface Frame extends PaxosSnapshot {
  mark: unknown;
  full: boolean;
  log_from: number;
  log_len: number;
  history_len: number;
}

/** What applyFrame() builds: exactly a snapshot. */
export type Model = PaxosSnapshot;

export interface Named { name: string; title: string; }

/** vocabulary() (docs/wasm-api.md): what the core knows, stated once. */
export interface Vocabulary {
  values: string[];
  bugs: (Named & { note: string })[];
  properties: Named[];
  kinds: string[];
  timers: string[];
  roles: string[];
  /** `protocol`: the protocol the story runs (absent: single-decree Paxos). */
  scenarios: (Named & { protocol?: string })[];
  protocols: ProtocolInfo[];
  limits: {
    max_nodes: number; max_trace_bytes: number; max_fragment_chars: number;
    max_trace_actions: number; max_trace_choices: number; max_value_len: number;
  };
}

/** vocabulary().protocols[i]: one protocol the core runs. */
export interface ProtocolInfo {
  name: string;
  title: string;
  kinds: string[];
  timers: string[];
  roles: string[];
  phases: string[];
  properties: Named[];
  bugs: string[];
  /** Config options it reads beyond nodes and roles: 'slots', 'clients', 'leases', 'distinguished'. */
  options: string[];
}
