// TypeScript declarations for <paxos-scope> (www/paxoscope.js).
// The snapshot types mirror docs/wasm-api.md.

/** A ballot (proposal number) as "round.node", e.g. "42.1". */
export type Ballot = string;
export type Role = 'proposer' | 'acceptor' | 'learner' | 'client';
/** The protocols the core runs (vocabulary().protocols lists them; 'paxos' is single decree). */
export type ProtocolName = 'paxos' | 'multi-paxos' | 'single-proposer-commit';
/** Paxos's kinds; other protocols add their own (vocabulary().protocols[i].kinds). */
export type MessageKind = 'Prepare' | 'Promise' | 'Accept' | 'Accepted' | 'Nack' | 'Heartbeat' | (string & {});
export type BugName = 'acceptor-forgets' | 'proposer-ignores-promises' | 'minority-quorum' | 'accept-below-promise' | 'proposer-forgets-round' | (string & {});
export type PropertyName = 'only-proposed' | 'at-most-one' | 'learned-chosen' | 'accept-below-promise';

export interface Proposal { ballot: Ballot; value: string; }

export interface ProposerState {
  /** One of the protocol's phases (vocabulary().protocols[i].phases; Paxos's are these). */
  phase: 'idle' | 'preparing' | 'accepting' | 'done' | (string & {});
  ballot: Ballot | null;
  value: string | null;
  /** Promises counted for its ballot (past phase 1: the quorum it went on with). */
  promises: number;
  /** Acceptances counted for its ballot. */
  accepts: number;
  /** How many promises, or acceptances, make a quorum. */
  quorum: number;
}

/** One row of a node's card, as the protocol describes it: `label`/`short` (compact card) and `text` ('—' for nothing). */
export interface NodeRow { key: string; label: string; short: string; text: string; }

/** One slot of a node's log strip (protocols with a log; slots number from 1). */
export interface SlotView {
  slot: number;
  /** The ballot of the proposal the node accepted in the slot, if any. */
  ballot: Ballot | null;
  /** The value it accepted, or learned. */
  value: string | null;
  /** The node knows the slot's value is chosen. */
  chosen: boolean;
  /** The node's state machine has applied the slot. */
  applied: boolean;
}

export interface PaxosNode {
  id: number;
  roles: Role[];
  up: boolean;
  /** The card's rows, in order (every protocol). */
  rows: NodeRow[];
  /** The node's log, one entry per slot it knows anything about (empty: no log, e.g. single-decree Paxos). */
  slots: SlotView[];
  /** A one-line state when the protocol has one ("leader of ballot 3.1", "follows node 2"). */
  status: string | null;
  /**
   * Why an up node cannot decide now, or null: who it waits for is down or cut off
   * ("blocked: voted yes; only the coordinator knows the outcome (node 1 is down)"). The node
   * card shows it as a BLOCKED badge. Absent from cores older than the commit protocols.
   */
  blocked?: string | null;
  /** Single-decree Paxos only (null for other protocols), as are accepted and learned. */
  promised: Ballot | null;
  accepted: Proposal | null;
  learned: string | null;
  /** Distinguished mode: the node believes itself leader. */
  leader: boolean;
  proposer: ProposerState | null;
}

export interface PaxosMessage {
  id: number;
  from: number;
  to: number;
  kind: MessageKind;
  /** The log slot it is about (protocols with a log), else null; `label` names it too: "Accept 3.1 [s2] Blue". */
  slot?: number | null;
  ballot: Ballot | null;
  value: string | null;
  /** Promise: the accepted proposal it carries. */
  prior: Proposal | null;
  status: 'in-flight' | 'held';
  sent_at: number;
  due: number;
  /** The step that sent it. */
  cause: number;
  /** Human label, e.g. "Promise 42.1 (41.3: Green)". */
  label: string;
}

export interface Violation {
  property: PropertyName | string;
  title: string;
  explanation: string;
  /** The steps involved. */
  steps: number[];
}

export interface LogEntry { step: number; time: number; text: string; }

/** What became of a message (snapshot.history; drawn by the space-time diagram). */
export type MessageFate = 'pending' | 'delivered' | 'dropped' | 'lost';

export interface MessageRecord {
  id: number;
  from: number;
  to: number;
  kind: MessageKind;
  label: string;
  /** The step that sent it. */
  sent_step: number;
  /** The step that delivered, dropped or lost it; null while pending. */
  end_step: number | null;
  /** dropped: by a person; lost: by the network, a crash or a cut link. */
  fate: MessageFate;
}

/** ring, the space-time diagram, or both side by side. */
export type PaxosView = 'ring' | 'diagram' | 'both';
export interface Outage { node: number; from_step: number; to_step: number | null; }
/** An armed timer: armed at `since`, fires at `at` (logical time). */
export interface Timer { node: number; kind: 'retry' | 'leader' | 'heartbeat'; at: number; since: number; }

/** The future set aside by acting in the past: it parts at step `at` and holds `steps` steps; `story`: it is a story's script. */
export interface Branch { at: number; steps: number; story: boolean; }

export interface Policy {
  /** Parts per million, 0..=1_000_000. */
  loss_ppm?: number;
  dup_ppm?: number;
  delay_ppm?: number;
  /** Logical ticks. */
  min_latency?: number;
  max_latency?: number;
}

export interface PaxosConfig {
  /** The protocol (absent: single-decree Paxos). */
  protocol?: ProtocolName;
  /** Protocols with a log: how many slots it holds. */
  slots?: number;
  /** Multi-Paxos: the nodes that are clients (only that role: they send commands). */
  clients?: number[];
  /** Multi-Paxos: the leader holds a master lease (Paxos Made Live). */
  leases?: boolean;
  /** 1..=9 (the page offers 3, 5 and 7). */
  nodes?: number;
  proposers?: number[];
  seed?: number;
  distinguished?: boolean;
  bug?: BugName | null;
  start_round?: number;
  policy?: Policy;
}

export interface PaxosSnapshot {
  step: number;
  time: number;
  hash: string;
  config: Required<Omit<PaxosConfig, 'policy' | 'protocol' | 'slots' | 'clients' | 'leases'>> & Pick<PaxosConfig, 'protocol' | 'slots' | 'clients' | 'leases'> & { policy: Required<Policy> };
  nodes: PaxosNode[];
  /** Pending messages only, in delivery order. */
  messages: PaxosMessage[];
  /** Every message sent up to this step and what became of it. */
  history: MessageRecord[];
  /** The automatic policy in force now (config.policy is the one the run started with). */
  policy: Required<Policy>;
  timers: Timer[];
  /** Cut links as [a, b] pairs, a < b: messages between a and b are lost. */
  cut: [number, number][];
  /** Every crash so far: down from from_step to to_step (null while still down). */
  outages: Outage[];
  /** The first value chosen (in a log: in any slot; the nodes' `slots` say which). */
  chosen: string | null;
  chosen_step: number | null;
  violations: Violation[];
  log: LogEntry[];
  /** The loaded guided scenario, if any, and its caption for this step. */
  scenario: string | null;
  caption: string | null;
  /** The story's next captioned step after this one (null when none, or off script). */
  next_caption: number | null;
  /** The future set aside by acting in the past, if any. */
  branch: Branch | null;
  can_undo: boolean;
  can_redo: boolean;
  trace_len: number;
}

/** What the explorer is asked (every field optional): bounds on what may still happen. */
export interface ExploreBounds {
  /** Rounds past the highest the run has reached that proposers may still start (default 1, at most 20). */
  rounds?: number;
  /** Further client proposals per proposer (single-decree Paxos; default 0). */
  proposals?: number;
  /** Messages may be lost (default false). */
  drops?: boolean;
  /** Messages may be duplicated (default false). */
  dups?: boolean;
  /** More crashes (and restarts) (default 0). */
  crashes?: number;
  /** Times the network may split in two (default 0). */
  partitions?: number;
  /** Stop, unfinished, after this many states (default 1,000,000; at most 20,000,000). */
  maxStates?: number;
  /** Count states that differ only by renaming interchangeable nodes once (default true). */
  symmetry?: boolean;
  /**
   * The question (default 'safety'): can a property still break; can a value still be
   * chosen (the shortest path to one); can the run go on forever without choosing (a cycle
   * that repeats, every ballot higher each turn; `rounds` then bounds the rounds' spread).
   */
  goal?: 'safety' | 'chosen' | 'livelock';
}

/** How far a search has gone (posted about every 100 ms). */
export interface ExploreProgress {
  states: number; transitions: number; depth: number; levelDone: number; levelSize: number;
  /** Bytes the engine's tables hold; `memory`: the worker's wasm memory. */
  bytes: number; memory: number;
  /** Milliseconds since the search began. */
  ms: number;
}

/** The explorer's answer. */
export interface ExploreOutcome {
  /**
   * safe: complete, nothing breaks; violation: a path breaks a property; unfinished: stopped
   * at the budget (not a proof); chosen: a path to a chosen value; decided: one already is;
   * never: none can be within the bounds; livelock: a cycle; no-livelock: none within the bounds.
   */
  verdict: 'safe' | 'violation' | 'unfinished' | 'chosen' | 'decided' | 'never' | 'livelock' | 'no-livelock';
  /** The question asked. */
  goal: 'safety' | 'chosen' | 'livelock';
  /** The verdict in words. */
  text: string;
  states: number; transitions: number; depth: number; complete: boolean; bytes: number;
  /** The highest round proposers could reach, and the run's step the search started from. */
  max_round: number; start: number;
  /** For a violation: the property broken (name, title), why, the path's explored moves (a chosen path: title "Green is chosen"). */
  property: string | null; title: string | null; explanation: string | null; moves: number | null;
  /** Whether the path is known to be a shortest one (breadth first: it is). */
  shortest: boolean;
  /** The run continued by the path (a trace, JSON text): open it with openExplored(). */
  trace: string | null;
  /** The path's new steps, as event log lines. */
  steps: LogEntry[];
  /** Explored moves to the nearest state where a value is chosen (0: it already is; null: none within the bounds). */
  chosen: number | null;
  /** A livelock's cycle in the path: its first step, its length in steps (the path holds it twice), the rounds each turn adds. */
  cycle: { from: number, steps: number, shift: number } | null;
  /** Milliseconds the search took, and the worker's wasm memory at its end. */
  ms: number; memory: number;
}

/**
 * What why() explains, exactly one of: the proposal an acceptor has accepted now, the value a
 * learner learned, the chosen value (the first one chosen), or a message of
 * `snapshot().history` carrying a value (a Promise reporting an accepted proposal, an Accept
 * or an Accepted), by its id.
 */
export type WhyTarget = { accepted: number } | { learned: number } | { chosen: true } | { message: number };

/** One event of a why() chain. */
export interface WhyLink {
  /** The step it happened at (the buttons of the reason view go there). */
  step: number;
  /** The message it is about (its id in `snapshot().history`), or null. */
  msg: number | null;
  kind: 'proposed' | 'prepare' | 'promise' | 'adopted' | 'accept' | 'accepted' | 'chosen' | 'learned' | 'cut';
  /** The node that acted (the proposer, the acceptor, the learner); null for a choice. */
  node: number | null;
  from: number | null;
  /** null: sent to every acceptor. */
  to: number | null;
  ballot: string | null;
  /** The nodes involved as a group (the majority that chose; the acceptors a minority quorum acted on); empty otherwise. */
  by: number[];
  /** The event in words. */
  text: string;
}

/** How a ballot's phase-1 quorum met the acceptors that had accepted the value. */
export interface WhyOverlap {
  ballot: string;
  /** The acceptors whose promises the ballot's proposer received before its phase 2 (still in phase 1: so far). */
  promised_by: number[];
  /** Whether the ballot reached phase 2; false: it is still gathering promises. */
  phase2: boolean;
  /** The acceptors they are compared with (the majority that chose, or the earlier ballot's acceptors). */
  accepted_by: number[];
  intersection: number[];
  /** Whether a promise from the intersection reported the value (Paxos needs it to). */
  carried: boolean;
  text: string;
}

/** Why a value is safe where it is (crate/src/why.rs), at the step it was asked. */
export interface WhyReason {
  value: string;
  ballot: string;
  /** The whole story in a few sentences. */
  summary: string;
  /** The events that brought the value there, in step order. */
  chain: WhyLink[];
  /** The acceptors whose acceptance chose the value (if it is not chosen: those that accepted it at its ballot). */
  quorum: number[];
  overlap: WhyOverlap[];
  /** The quorum rule that keeps it safe, in words. */
  rule: string;
  /** In a broken variant: the link where the chain is cut (also a link of `chain`), else null. */
  cut: WhyLink | null;
}

export interface PaxosChosenDetail { value: string; step: number; }
export interface PaxosReadyDetail { element: PaxosScope; }
export interface PaxosErrorDetail { message: string; error: Error; }

export interface PaxosScopeEventMap extends HTMLElementEventMap {
  /** Once, when the element has started (wasm loaded, first cluster drawn): `ready` resolves. */
  'paxos-ready': CustomEvent<PaxosReadyDetail>;
  /**
   * After every state change; detail is the new snapshot. Its `log` and `history` arrays are
   * shared with the next details and updated in place (a long run costs what changed): copy
   * them to keep them.
   */
  'paxos-change': CustomEvent<PaxosSnapshot>;
  /** Once, when a value becomes chosen. */
  'paxos-chosen': CustomEvent<PaxosChosenDetail>;
  /** When the number of violations grows; detail is the new violations. */
  'paxos-violation': CustomEvent<Violation[]>;
  /** When an action fails (also shown in the element's error banner). */
  'paxos-error': CustomEvent<PaxosErrorDetail>;
  /** While explore() runs: how far the search has gone (about every 100 ms). */
  'paxos-explore-progress': CustomEvent<ExploreProgress>;
  /** When explore() (or the panel's Explore from here) has its answer. */
  'paxos-explore-done': CustomEvent<ExploreOutcome>;
  /** Compare mode has built its two sides (`compared`); they start at once. */
  'paxos-compare': CustomEvent<{ sides: [PaxosScope, PaxosScope] }>;
}

/**
 * <paxos-scope nodes="3" proposers="1 2" seed="7" bug="minority-quorum" distinguished>
 * <paxos-scope protocol="multi-paxos" nodes="4" slots="4" clients="4" leases>
 * <paxos-scope scenario="proposer-fails-during-accept" controls="compact">
 *
 * Attributes (all optional, all applied live; an invalid value shows a message in the element
 * and fires `paxos-error`): protocol (paxos, the default, or another of
 * vocabulary().protocols: multi-paxos, single-proposer-commit), nodes (1..9), proposers
 * ("1 2"), seed, bug (one of the protocol's variants), distinguished (Paxos), slots (the log's
 * length, protocols with a log), clients ("4 5": client nodes, Multi-Paxos), leases
 * (Multi-Paxos master leases),
 * scenario (a built-in story; wins over the cluster attributes), controls (full | compact |
 * none), view (ring | diagram | both), theme (auto | light | dark | inherit: the host page's theme), height (480, "30em", …),
 * speed (1 = normal), autoplay (plays once started, unless prefers-reduced-motion: reduce),
 * compare ("2pc,paxos-commit": compare mode, two protocols of vocabulary().protocols side by
 * side, each optionally with a variant after a colon, "paxos,paxos:minority-quorum"; both
 * sides take nodes, proposers, seed and view from this element; a crash, restart, timeout,
 * proposal, cut or heal on one side is done on the other to the same node or link, a drop or
 * delivery to the pending message with the same sender, receiver and send step (a note says
 * when there is none), Step/Play/Back/Forward move both, the diagrams scroll together, and the
 * first step where a node's outcome (decided or learned value, or blocked) differs is marked
 * on both diagrams; see `compared`).
 *
 * The wasm is fetched and compiled once per page, as soon as an element is connected; each
 * element starts (builds and draws its cluster) when it comes within 200 px of the viewport,
 * or on start().
 *
 * Every action throws an Error with a clear message on bad input (and emits
 * `paxos-error`), leaving the simulation unchanged.
 */
export declare class PaxosScope extends HTMLElement {
  /** Registers the element under `name` (idempotent); returns the registered class. */
  static define(name?: string, registry?: CustomElementRegistry): typeof PaxosScope;
  static readonly observedAttributes: string[];

  /** Resolves once started: the wasm core is loaded and the first cluster exists. */
  readonly ready: Promise<PaxosScope>;
  /** True once started (or starting). */
  readonly started: boolean;
  /** Start now, in view or not; returns `ready`. */
  start(): Promise<PaxosScope>;
  readonly playing: boolean;
  /** Play speed multiplier (1 = 20 logical ticks per second; a story: each caption stays 2 to 9 s, by its length, divided by the speed). */
  speed: number;

  snapshot(): PaxosSnapshot;

  deliver(id: number): void;
  drop(id: number): void;
  /** Returns the copy's id. */
  duplicate(id: number): number;
  hold(id: number): void;
  release(id: number): void;
  /** Deliver message `id` right before message `otherId` (one recorded action, one undo step). */
  moveMessageBefore(id: number, otherId: number): void;
  /**
   * @deprecated Use moveMessageBefore(id, otherId); this alias goes in the next release.
   * While it exists it shadows the DOM's Element.moveBefore(node, child); called with a DOM
   * Node it passes the call on to it.
   */
  moveBefore(id: number, otherId: number): void;
  /** With DOM nodes: the native Element.moveBefore (state-preserving move of a child). */
  moveBefore(node: Node, child: Node | null): void;
  crash(node: number): void;
  restart(node: number): void;
  /** Fire the node's earliest timer now, or the one named `timer` (`'retry'`, `'leader'`, `'heartbeat'`). */
  timeout(node: number, timer?: string): void;
  /** Cut the link between nodes a and b (a partition): messages between them are lost. */
  cutLink(a: number, b: number): void;
  /** Heal the cut link between nodes a and b. */
  healLink(a: number, b: number): void;
  propose(node: number, value: string): void;
  /**
   * One step of the automatic policy; true if something happened. While a story has steps
   * left (a scenario, on its script, `can_redo`), the story's next step instead, as Next.
   */
  step(): boolean;
  /**
   * In a story with steps left: on to its next captioned step (`snapshot().next_caption`),
   * or its end. Returns the steps taken; throws when no story is ahead.
   */
  nextCaption(): number;
  /**
   * Bring back the future set aside by acting in the past (`snapshot().branch`): in a story,
   * the story, at the step where the run left it, with its caption; the current future is
   * kept in its place. Undoing back to that step does the same. Throws when there is none.
   */
  switchFuture(): void;
  /** Up to `maxSteps` (default 1000) steps; returns the number taken. */
  run(maxSteps?: number): number;
  /** One step back; a gesture the core records as several actions (a drag to the end of the queue) goes back as one. */
  undo(): void;
  /** One step forward (a gesture as one step, like undo). */
  redo(): void;
  seek(step: number): void;
  setPolicy(policy: Policy): void;
  play(): void;
  pause(): void;
  /**
   * Load a built-in guided scenario at its first step; redo()/undo() (and step()) walk the
   * story; any other action leaves it, kept (see switchFuture()).
   */
  loadScenario(name: string): void;
  /**
   * The trace up to the current step as JSON text (format `paxoscope-trace`, version 1: the
   * same as `paxoscope run --export`; `paxoscope replay FILE` replays it). Throws when the run
   * is longer than a trace may be (50,000 steps, automatic ones included, of which at most
   * 10,000 other actions), since it could not be opened again.
   */
  exportTrace(): string;
  /**
   * Replace the simulation with a trace (JSON text, at most 16 MB), replayed to its end.
   * A malformed, truncated, oversized or tampered trace throws and changes nothing.
   */
  importTrace(json: string): void;
  /** This page's URL (without its fragment) + '#' + a fragment that replays this run exactly, at this step. */
  shareUrl(): string;
  /**
   * Open a share link: a whole URL, '#fragment' or the bare fragment. A malformed,
   * truncated, oversized or tampered link throws and changes nothing.
   */
  openShare(link: string): void;
  /** The view shown: the ring, the space-time diagram, or both. */
  readonly view: PaxosView;
  /** Show the ring, the space-time diagram, or both (the `view` attribute calls this). */
  setView(view: PaxosView): void;
  /** The message selected in the ring, the queue or the diagram (highlighted in all), or null. */
  readonly selectedMessage: number | null;
  /** Select a message by id (any id in snapshot.history), or clear the selection with null. */
  selectMessage(id: number | null): void;
  /** The built-in scenarios' names (empty before ready). */
  scenarioNames(): string[];
  /** The core's protocols, [{ name, title }] from vocabulary().protocols (empty before ready). */
  protocolNames(): { name: string; title: string }[];
  /**
   * Mark `step` on the space-time diagram with a label (compare mode marks the first step
   * where the two sides' outcomes differ); null clears the mark.
   */
  markStep(step: number | null, label?: string): void;
  /**
   * Compare mode (the `compare` attribute): the two sides, left then right, each a
   * <paxos-scope> of its own inside this one's shadow root (their actions are mirrored on
   * each other); null otherwise. Set once `paxos-compare` has fired.
   */
  readonly compared: [PaxosScope, PaxosScope] | null;
  /** A new cluster; missing fields come from the attributes, then the defaults. */
  reset(config?: PaxosConfig): void;

  /**
   * "Can it still break from here?": explore every schedule that can follow the current step
   * within `bounds`, in a Web Worker (the explorer's code and wasm load on first use). The
   * panel "Can it still break from here?" shows the progress and the verdict. Rejects when a
   * search is already running, and with an Error named 'Cancelled' when cancelExplore() stops it.
   */
  explore(bounds?: ExploreBounds): Promise<ExploreOutcome>;
  /** Stop the running search at once (its worker is terminated). */
  cancelExplore(): void;
  /**
   * Open the path an explore() found (its `trace`) as a story: the run replaced by the
   * continued run, at the step the search started from; Next walks the new steps, which the
   * caption and the time bar mark. Throws if the outcome has no path.
   */
  openExplored(outcome: ExploreOutcome): void;
  /**
   * The run up to the current step as a behaviour of Lamport's Paxos.tla in the Informal
   * Trace Format (JSON text; single-decree Paxos only). Loads the explorer's module on first use.
   */
  exportItf(): Promise<string>;
  /**
   * "Why is this value safe?" (single-decree Paxos): the chain of events that brought the
   * target's value where it is at the current step — who proposed it, which promise made a
   * later ballot carry it, who accepted it, the majority that chose it — the quorum overlaps
   * that keep it chosen, the rule, and in a broken variant the link where the chain is cut.
   * Shows the reason view (the "Why is Green safe?" section, whose steps are buttons that go
   * there) and highlights the acceptors in the quorum intersection and the chain's messages
   * on the ring and the diagram; the view says it is stale once the run leaves that step.
   * Loads the explorer's module (a Web Worker) on first use. A bad target (not exactly one
   * of the shapes, no such node, nothing accepted or learned, a message carrying no value,
   * another protocol) rejects with an Error in words (and emits `paxos-error`), changing nothing.
   */
  why(target: WhyTarget): Promise<WhyReason>;
  /** Close the reason view and clear its highlights. */
  closeWhy(): void;

  addEventListener<K extends keyof PaxosScopeEventMap>(type: K, listener: (this: PaxosScope, ev: PaxosScopeEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PaxosScopeEventMap>(type: K, listener: (this: PaxosScope, ev: PaxosScopeEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap { 'paxos-scope': PaxosScope; }
  interface WindowEventMap {
    'paxos-ready': CustomEvent<PaxosReadyDetail>;
    'paxos-change': CustomEvent<PaxosSnapshot>;
    'paxos-chosen': CustomEvent<PaxosChosenDetail>;
    'paxos-violation': CustomEvent<Violation[]>;
    'paxos-error': CustomEvent<PaxosErrorDetail>;
  }
}
