//! The built-in scenarios: short guided stories, one caption per step, from the seed
//! documents (Lamport's *Paxos Made Simple* and the walk-throughs built on it).
//!
//! A scenario is a list of cues ("deliver node 1's Prepare to node 3") resolved against the
//! live simulation into concrete actions, so the recorded trace is an ordinary trace: the
//! page can leave the script at any step and drive by hand, and undo/redo walk the story.

use crate::check::explorer::{colour, proposal_value, Bounds};

use crate::paxos::{Bug, Deviation, Msg, Value};
use crate::protocol::{NodeId, Protocol};
use crate::protocols::{AnyMsg, AnyNode, AnyTimer, ProtocolKind};
use crate::paxos::Timer;
use crate::sim::event::{chosen as chosen_words, Event};
use crate::sim::world::{Action, Slot};
use crate::sim::{ClusterConfig, Policy, Session, SimError};

mod commit;
mod multi;
mod paxoscommit;
mod spc;

/// A scenario's name, title and protocol, for pickers and `paxoscope scenarios`.
#[derive(Clone, Copy, Debug)]
pub struct Info {
    pub name: &'static str,
    pub title: &'static str,
    pub protocol: ProtocolKind,
}

const PAXOS: ProtocolKind = ProtocolKind::Paxos;
const MULTI: ProtocolKind = ProtocolKind::MultiPaxos;
const SPC: ProtocolKind = ProtocolKind::SingleProposerCommit;
const TWOPC: ProtocolKind = ProtocolKind::TwoPhaseCommit;
const THREEPC: ProtocolKind = ProtocolKind::ThreePhaseCommit;
const PC: ProtocolKind = ProtocolKind::PaxosCommit;

/// Every built-in scenario, in the order a course would use them. Names are stable.
pub const SCENARIOS: &[Info] = &[
    Info { name: "happy-path", title: "Three nodes choose Green with ballot 42.1", protocol: PAXOS },
    Info { name: "proposer-fails-before-accept", title: "The proposer dies before sending Accept; node 2 takes over", protocol: PAXOS },
    Info { name: "proposer-fails-during-accept", title: "The proposer dies after node 3 accepted Green; node 2 must propose Green", protocol: PAXOS },
    Info { name: "acceptor-fails", title: "One acceptor is down; the other two still choose", protocol: PAXOS },
    Info { name: "dueling-proposers", title: "Two proposers preempt each other forever: nothing is chosen", protocol: PAXOS },
    Info { name: "distinguished-proposer", title: "The same two proposers with a leader: a value is chosen", protocol: PAXOS },
    Info { name: "lossy-network", title: "Heavy loss and duplication: safety holds, progress comes", protocol: PAXOS },
    Info { name: "leader-election", title: "Paxos elects a leader: two nodes run, only one leader is ever chosen", protocol: PAXOS },
    Info { name: "bug-acceptor-forgets", title: "UNSAFE: acceptors forget on a crash", protocol: PAXOS },
    Info { name: "bug-proposer-ignores-promises", title: "UNSAFE: the proposer ignores what promises report", protocol: PAXOS },
    Info { name: "bug-minority-quorum", title: "UNSAFE: quorums smaller than a majority", protocol: PAXOS },
    Info { name: "bug-accept-below-promise", title: "UNSAFE: an acceptor accepts below its promise", protocol: PAXOS },
    Info { name: "bug-proposer-forgets-round", title: "UNSAFE: a restarted proposer reuses its ballot", protocol: PAXOS },
    Info { name: "multi-paxos-steady-leader", title: "A steady leader: phase 1 once, then one round trip per value", protocol: MULTI },
    Info { name: "multi-paxos-leader-fails", title: "The leader dies mid-log: the new one re-proposes what it finds and fills the gap with a no-op", protocol: MULTI },
    Info { name: "multi-paxos-partition", title: "A partition makes two leaders: the stale one's Accepts are refused", protocol: MULTI },
    Info { name: "multi-paxos-lagging-replica", title: "A replica misses three slots and catches up from the leader's commit index", protocol: MULTI },
    Info { name: "multi-paxos-retried-command", title: "A retried command is chosen twice and applied once", protocol: MULTI },
    Info { name: "bug-new-leader-skips-phase1", title: "UNSAFE (Multi-Paxos): a new leader skips phase 1", protocol: MULTI },
    Info { name: "bug-noop-overwrites", title: "UNSAFE (Multi-Paxos): a no-op overwrites a reported value", protocol: MULTI },
    Info { name: "bug-apply-out-of-order", title: "UNSAFE (Multi-Paxos): a replica applies out of order", protocol: MULTI },
    Info { name: "spc-commit", title: "Phase 2 only: a single proposer commits", protocol: SPC },
    Info { name: "spc-coordinator-fails-before-informing", title: "The coordinator fails before informing any learner: no harm, no foul", protocol: SPC },
    Info { name: "spc-coordinator-fails-after-informing", title: "The coordinator fails after informing a learner: the new one copies the accepted value", protocol: SPC },
    Info { name: "spc-two-coordinators", title: "Two coordinators decide different values: the checker's counterexample", protocol: SPC },
    Info { name: "2pc-coordinator-dies", title: "2PC: everyone votes yes, the coordinator dies, the participants wait forever", protocol: TWOPC },
    Info { name: "3pc-partition", title: "UNSAFE (3PC): a partition, and one side commits while the other aborts", protocol: THREEPC },
    Info { name: "paxos-commit-survives", title: "Paxos Commit: the coordinator dies after the votes, a participant recovers and everyone commits", protocol: PC },
];

/// One cue of a story.
pub(super) enum Cue {
    Propose(NodeId, &'static str),
    /// The first pending message of this kind from → to.
    Deliver(NodeId, NodeId, &'static str),
    /// The newest (last sent) pending message of this kind from → to.
    DeliverLast(NodeId, NodeId, &'static str),
    /// Every pending message of this kind, in delivery order (ones to a down node are dropped).
    DeliverAll(&'static str),
    /// Every pending message of this kind from this node.
    DropFrom(NodeId, &'static str),
    /// Every pending message to this node.
    DropTo(NodeId),
    Crash(NodeId),
    Restart(NodeId),
    Timeout(NodeId),
    /// Fire the node's timer of this name.
    Fire(NodeId, &'static str),
    /// Cut (or heal) the link between two nodes.
    Cut(NodeId, NodeId),
    Heal(NodeId, NodeId),
    /// Automatic steps until every up learner has learned, at most this many.
    RunUntilLearned(usize),
}

fn pending(s: &Session, f: impl Fn(NodeId, NodeId, &str) -> bool) -> Vec<(u32, NodeId)> {
    s.world().pending.iter().filter(|p| f(p.from, p.to, p.msg.kind())).map(|p| (p.id, p.to)).collect()
}

fn all_learned(s: &Session) -> bool {
    s.world().slots.iter().all(|slot| match slot {
        Slot::Up(n) => !n.is_learner() || n.has_learned(),
        Slot::Down(_) => true,
    })
}

/// Where in a cue's steps its caption goes: the step where the event it tells happens.
#[derive(Clone, Copy)]
pub(super) enum At {
    /// The cue's first step (a cue of one step).
    First,
    /// The cue's last step ("its other messages never arrive": once they all are gone).
    Last,
    /// The first step of the cue in which a node sends a message of this kind.
    Sends(&'static str),
    /// The step in which a value becomes chosen.
    Chosen,
    /// The first step in which a learner learns (node 0: any learner).
    Learns(NodeId),
}

/// One cue of a story, with its caption and where the caption goes.
pub(super) struct Line {
    cue: Cue,
    at: At,
    text: &'static str,
}

/// A cue whose caption goes with its first step.
pub(super) const fn c(cue: Cue, text: &'static str) -> Line {
    Line { cue, at: At::First, text }
}

/// A cue whose caption goes with the step where `at` happens.
pub(super) const fn at(cue: Cue, at: At, text: &'static str) -> Line {
    Line { cue, at, text }
}

/// The first step in `from..=to` whose events match `at`.
fn find_step(s: &Session, at: At, from: usize, to: usize) -> Option<usize> {
    (from..=to).find(|&k| {
        s.events(k).iter().any(|e| match (at, e) {
            (At::Sends(kind), Event::Sent(m)) => m.msg.kind() == kind,
            (At::Chosen, Event::Chosen { .. }) => true,
            (At::Learns(n), Event::Learned { node, .. }) => n == 0 || *node == n,
            _ => false,
        })
    })
}

fn play(s: &mut Session, line: &Line) -> Result<(), SimError> {
    let (cue, caption) = (&line.cue, line.text);
    let start = s.step();
    let missing = |what: String| SimError::Invalid(format!("scenario script: no {what} in flight"));
    match *cue {
        Cue::Propose(n, v) => {
            s.act(Action::Propose(n, Value::new(v).map_err(SimError::Invalid)?))?;
        }
        Cue::Deliver(from, to, kind) => {
            let (id, _) = *pending(s, |f, t, k| f == from && t == to && k == kind).first().ok_or_else(|| missing(format!("{kind} {from}→{to}")))?;
            s.act(Action::Deliver(id))?;
        }
        Cue::DeliverLast(from, to, kind) => {
            let (id, _) = pending(s, |f, t, k| f == from && t == to && k == kind).into_iter().max().ok_or_else(|| missing(format!("{kind} {from}→{to}")))?;
            s.act(Action::Deliver(id))?;
        }
        Cue::DeliverAll(kind) => {
            for (id, to) in pending(s, |_, _, k| k == kind) {
                // A message to a down node, or across a cut link, is lost.
                let cut = s.world().pending.iter().any(|p| p.id == id && s.world().is_cut(p.from, p.to));
                let up = matches!(s.world().node(to), Some(Slot::Up(_))) && !cut;
                s.act(if up { Action::Deliver(id) } else { Action::Drop(id) })?;
            }
        }
        Cue::DropFrom(from, kind) => {
            for (id, _) in pending(s, |f, _, k| f == from && k == kind) {
                s.act(Action::Drop(id))?;
            }
        }
        Cue::DropTo(to) => {
            for (id, _) in pending(s, |_, t, _| t == to) {
                s.act(Action::Drop(id))?;
            }
        }
        Cue::Crash(n) => {
            s.act(Action::Crash(n))?;
        }
        Cue::Restart(n) => {
            s.act(Action::Restart(n))?;
        }
        Cue::Timeout(n) => {
            s.act(Action::Timeout(n))?;
        }
        Cue::Fire(n, name) => {
            s.act(Action::Fire(n, name.to_string()))?;
        }
        Cue::Cut(a, b) => {
            s.act(Action::Cut(a, b))?;
        }
        Cue::Heal(a, b) => {
            s.act(Action::Heal(a, b))?;
        }
        Cue::RunUntilLearned(max) => {
            let mut n = 0;
            while !all_learned(s) && n < max {
                s.act(Action::Step)?;
                n += 1;
            }
            if !all_learned(s) {
                return Err(SimError::Invalid(format!("scenario script: nothing learned after {max} steps")));
            }
        }
    }
    if s.step() == start {
        return Err(SimError::Invalid("scenario script: a cue did nothing".into()));
    }
    if let Cue::RunUntilLearned(_) = cue {
        milestones(s, start + 1);
    }
    // The caption goes with the step where its event happens.
    let step = match line.at {
        At::First => start + 1,
        At::Last => s.step(),
        at => find_step(s, at, start + 1, s.step()).ok_or_else(|| SimError::Invalid(format!("scenario script: no step for the caption \"{caption}\"")))?,
    };
    s.set_caption(step, caption);
    Ok(())
}

/// Captions for a stretch of automatic steps from `from` on: the milestones a reader looks
/// for (a message lost, a round given up and why, a leader taking over, the first
/// acceptance, the choice, the first learner), each at its step. The cue's own caption,
/// at `from`, introduces the stretch.
fn milestones(s: &mut Session, from: usize) {
    let mut notes: Vec<(usize, String)> = Vec::new();
    let (mut lost, mut accepted, mut learned, mut retries, mut chosen) = (false, false, false, 0, 0);
    // Where each node's current round began (for counting what it lost since).
    let mut since = [from; crate::protocol::MAX_NODES + 1];
    for k in from + 1..=s.step() {
        for e in s.events(k) {
            let note = match *e {
                Event::LostByNetwork(ref m) if !lost => {
                    lost = true;
                    format!("The network loses its first message: {} from node {} to node {}. Nobody is told: the sender's timer will have to notice.", AnyNode::describe(&m.msg).label, m.from, m.to)
                }
                Event::TimerFired { node, timer: AnyTimer::Paxos(Timer::Retry) } if retries < 3 => {
                    retries += 1;
                    let mut why = round_trouble(s, node, since[node as usize], k);
                    if chosen > 0 {
                        why.push_str(". A value is already chosen, but the Accepted messages that would tell node ");
                        why.push_str(&format!("{node} so have not arrived: it cannot know. Retrying is safe: its new round must find that value in the promises"));
                    }
                    since[node as usize] = k;
                    format!("Node {node}'s retry timer fires: its round did not gather a majority in time{why}. It starts again with a higher ballot.")
                }
                Event::TimerFired { node, timer: AnyTimer::Paxos(Timer::Leader) } => {
                    format!("Node {node} has heard no heartbeat from the leader for too long (heartbeats get lost too): it takes over as leader and starts its own round.")
                }
                Event::Accepted { node, ballot, value, .. } if !accepted => {
                    accepted = true;
                    format!("Node {node} accepts {ballot}: {value}, the first acceptance of the run. One acceptor is not a majority: nothing is chosen yet.")
                }
                Event::Chosen { ballot, value, .. } if chosen > 0 => {
                    chosen += 1;
                    if chosen > 2 {
                        continue;
                    }
                    format!("Ballot {ballot} is accepted by a majority too, and it carries {value} again: once a value is chosen, every higher ballot that a majority accepts carries the same value.")
                }
                Event::Chosen { slot, ballot, value, by } => {
                    chosen += 1;
                    format!("{}. No learner knows it yet; from now on every higher ballot carries {value}.", chosen_words(slot, value, ballot, by))
                }
                Event::Learned { node, value, .. } if !learned => {
                    learned = true;
                    format!("Node {node} learns {value}: a majority of acceptors told it they accepted the same ballot. The other learners follow as their Accepted messages arrive.")
                }
                _ => continue,
            };
            if notes.last().map_or(true, |(s, _)| *s != k) {
                notes.push((k, note));
            }
        }
    }
    for (k, note) in notes {
        s.set_caption(k, &note);
    }
}

/// Why node `node`'s round failed by step `now`: ", while 3 of its messages and the replies to
/// them were lost by the network" (empty when none was lost).
fn round_trouble(s: &Session, node: NodeId, from: usize, now: usize) -> String {
    let lost = (from..=now)
        .flat_map(|k| s.events(k))
        .filter(|e| matches!(e, Event::LostByNetwork(m) if (m.from == node || m.to == node) && !matches!(m.msg, AnyMsg::Paxos(Msg::Heartbeat))))
        .count();
    match lost {
        0 => ": its messages and the replies are still on their way (slow links)".to_string(),
        1 => ": one of its messages or the replies to them was lost by the network".to_string(),
        n => format!(": {n} of its messages and the replies to them were lost by the network"),
    }
}

/// A story's cues are static data, in parts played one after another (data rather than
/// code keeps the WebAssembly module small).
pub(super) type Cues = &'static [Line];

pub(super) fn story(name: &str, intro: &str, config: ClusterConfig, parts: &[&[Line]]) -> Result<Session, SimError> {
    let mut s = Session::new(config)?;
    s.set_scenario(Some(name.to_string()));
    s.set_intro(intro.to_string());
    for line in parts.iter().copied().flatten() {
        play(&mut s, line)?;
    }
    Ok(s)
}

fn three(proposers: Vec<u32>, distinguished: bool) -> ClusterConfig {
    ClusterConfig { nodes: 3, proposers, distinguished, start_round: 42, ..ClusterConfig::default() }
}

use Cue::*;

fn happy_path() -> Result<Session, SimError> {
    story(
        "happy-path",
        "Three nodes, each an acceptor and a learner; node 1 is also a proposer. A client wants the cluster to agree on a shirt colour.",
        three(vec![1], false),
        &[&[
            c(Propose(1, "Green"), "A client asks node 1 to propose Green. Node 1 starts round 42: its ballot is 42.1 (round 42 of node 1, so no other proposer can use the same number) and it sends Prepare 42.1 to every acceptor, itself included."),
            c(Deliver(1, 1, "Prepare"), "Node 1, as an acceptor, has promised nothing yet. It promises 42.1: it writes the promise to disk and replies. From now on it ignores every ballot lower than 42.1."),
            c(Deliver(1, 2, "Prepare"), "Node 2 promises 42.1 too."),
            c(Deliver(1, 3, "Prepare"), "And so does node 3. None of them has accepted anything, so no promise carries a proposal."),
            c(Deliver(1, 1, "Promise"), "Node 1 counts its own promise: one of three acceptors."),
            c(Deliver(2, 1, "Promise"), "Two promises are a majority of three. No promise reports an accepted proposal, so node 1 may propose its own value: it sends Accept 42.1 Green to every acceptor."),
            c(Deliver(3, 1, "Promise"), "The third promise arrives late; node 1 no longer needs it."),
            c(Deliver(1, 1, "Accept"), "Node 1 accepts 42.1: Green — it had promised nothing higher — writes it to disk and sends Accepted to the proposer and to every learner."),
            c(Deliver(1, 2, "Accept"), "Node 2 accepts 42.1: Green. Now a majority of the acceptors has accepted the same ballot: Green is chosen, though no learner knows it yet."),
            c(Deliver(1, 3, "Accept"), "Node 3 accepts too."),
            c(DeliverAll("Accepted"), "The Accepted messages reach the learners. A learner learns Green once a majority of acceptors has told it they accepted ballot 42.1; the proposer learns its round succeeded."),
        ]],
    )
}

fn proposer_fails(during_accept: bool) -> Result<Session, SimError> {
    let name = if during_accept { "proposer-fails-during-accept" } else { "proposer-fails-before-accept" };
    const START: Cues = &[
        c(Propose(1, "Green"), "Node 1 is the distinguished proposer (the leader). A client asks it to propose Green: it sends Prepare 42.1 to every acceptor."),
        c(Propose(2, "Blue"), "A client also asks node 2 to propose Blue. Node 2 is a proposer too, but it follows the leader: it keeps Blue and waits."),
        c(Deliver(1, 1, "Prepare"), "The acceptors promise 42.1."),
        c(Deliver(1, 2, "Prepare"), ""),
        c(Deliver(1, 3, "Prepare"), ""),
        c(Deliver(1, 1, "Promise"), "Node 1 gathers promises: its own is the first."),
    ];
    const DURING: Cues = &[
            c(Deliver(3, 1, "Promise"), "A majority has promised, with nothing accepted: node 1 sends Accept 42.1 Green."),
            c(Deliver(1, 3, "Accept"), "Node 1's Accept reaches node 3 first: node 3 accepts 42.1: Green and writes it to disk."),
            c(Crash(1), "Node 1 crashes. A crash does not recall what a node already sent: its other two Accept messages are still in the network."),
            at(DropFrom(1, "Accept"), At::Last, "Suppose the network loses them (we drop them by hand): node 2 and node 1's own acceptor never accept Green. Only one acceptor of three has: Green is not chosen yet."),
            c(DropTo(1), "Messages to node 1 are lost while it is down."),
            c(Timeout(2), "Node 2 hears nothing more from the leader. Its timer fires: it takes over and starts its own round with ballot 42.2, higher than 42.1."),
            c(DropTo(1), ""),
            c(Deliver(2, 2, "Prepare"), "Node 2's own acceptor promises 42.2; it has accepted nothing."),
            c(Deliver(2, 3, "Prepare"), "Node 3 promises 42.2. Its promise is special: it carries the proposal it accepted, 42.1: Green."),
            c(Deliver(2, 2, "Promise"), ""),
            c(Deliver(3, 2, "Promise"), "Node 3's promise carries its accepted proposal 42.1: Green, so node 2 must propose Green, not its own Blue: it sends Accept 42.2 Green."),
            c(DropTo(1), ""),
            c(Deliver(2, 2, "Accept"), "Node 2 accepts 42.2: Green."),
            c(Deliver(2, 3, "Accept"), "Node 3 accepts 42.2: Green. A majority accepted ballot 42.2: Green is chosen — the value node 1 started, carried forward by node 3."),
            at(DeliverAll("Accepted"), At::Learns(0), "The learners hear of it and learn Green."),
    ];
    const BEFORE: Cues = &[
            c(Crash(1), "Node 1 crashes with only its own promise: it never had a majority, so it never sent an Accept. No acceptor has accepted anything."),
            c(DropTo(1), "The other promises reach a node that is down: they are lost."),
            c(Timeout(2), "Node 2 hears nothing from the leader. Its timer fires: it takes over and starts its own round with ballot 42.2, higher than 42.1."),
            c(DropTo(1), ""),
            c(Deliver(2, 2, "Prepare"), "The live acceptors promise 42.2."),
            c(Deliver(2, 3, "Prepare"), ""),
            c(Deliver(2, 2, "Promise"), ""),
            c(Deliver(3, 2, "Promise"), "A majority promised 42.2 and no promise carries an accepted proposal (node 1 never sent its Accepts), so node 2 proposes its own value, Blue."),
            c(DropTo(1), ""),
            c(Deliver(2, 2, "Accept"), "The acceptors accept 42.2: Blue."),
            c(Deliver(2, 3, "Accept"), "A majority accepted ballot 42.2: Blue is chosen."),
            at(DeliverAll("Accepted"), At::Learns(0), "The learners learn Blue. Green was never chosen, so nothing is lost: Paxos only promises that once a value is chosen it stays chosen."),
    ];
    let intro = if during_accept {
        "Node 1 leads and node 2 stands by. What if the leader dies halfway through sending its Accept messages?"
    } else {
        "Node 1 leads and node 2 stands by. What if the leader dies before it sends any Accept?"
    };
    story(name, intro, three(vec![1, 2], true), &[START, if during_accept { DURING } else { BEFORE }])
}

fn acceptor_fails() -> Result<Session, SimError> {
    story(
        "acceptor-fails",
        "Three acceptors, and one of them is about to fail. Paxos needs only a majority.",
        three(vec![1], false),
        &[&[
            c(Crash(3), "Node 3 crashes. Two of the three acceptors are left: still a majority."),
            c(Propose(1, "Green"), "A client asks node 1 to propose Green: Prepare 42.1 goes to every acceptor."),
            at(DeliverAll("Prepare"), At::Last, "Nodes 1 and 2 promise 42.1; the Prepare to node 3 is lost."),
            at(DeliverAll("Promise"), At::Sends("Accept"), "Two promises make a majority: node 1 sends Accept 42.1 Green."),
            at(DeliverAll("Accept"), At::Chosen, "Nodes 1 and 2 accept: Green is chosen without node 3."),
            at(DeliverAll("Accepted"), At::Learns(0), "The live learners learn Green."),
            c(Restart(3), "Node 3 comes back. It missed everything, and nobody tells a returning learner what was chosen: the Accepted messages went to it while it was down and were lost."),
            c(Propose(1, "Blue"), "How does it find out? A learner can have a proposer issue a proposal (Paxos Made Simple, 2.3). A client asks node 1 to propose Blue: it starts round 43, ballot 43.1."),
            at(DeliverAll("Prepare"), At::Last, "Every acceptor promises 43.1. The promises of nodes 1 and 2 report that they accepted 42.1: Green."),
            at(DeliverAll("Promise"), At::Sends("Accept"), "The promises report 42.1: Green, so node 1 must propose Green, not Blue: it sends Accept 43.1 Green."),
            c(DeliverAll("Accept"), "Every acceptor accepts 43.1: Green, node 3 included."),
            at(DeliverAll("Accepted"), At::Learns(3), "Node 3 learns Green. The chosen value never changed: once a value is chosen, every higher ballot carries it."),
        ]],
    )
}

fn dueling() -> Result<Session, SimError> {
    const START: Cues = &[
        c(Propose(1, "Green"), "Two proposers, no leader. A client asks node 1 to propose Green: Prepare 42.1."),
        c(DeliverAll("Prepare"), "Every acceptor promises 42.1."),
        at(DeliverAll("Promise"), At::Sends("Accept"), "Node 1 has its majority and sends Accept 42.1 Green…"),
        c(Propose(2, "Blue"), "…but meanwhile a client asks node 2 to propose Blue: Prepare 42.2, a higher ballot."),
        c(DeliverAll("Prepare"), "The Prepare 42.2 messages overtake node 1's Accepts. Every acceptor promises 42.2 and so must ignore anything lower."),
        c(DeliverAll("Accept"), "Node 1's Accept 42.1 arrives too late: every acceptor rejects it (Nack: promised 42.2)."),
        c(DeliverAll("Nack"), "Node 1 learns that round 42 is taken."),
        at(DeliverAll("Promise"), At::Sends("Accept"), "Node 2 has its majority and sends Accept 42.2 Blue…"),
    ];
    // Each proposer's retry preempts the other's Accept, round after round.
    const NODE_1_RETRIES: Cues = &[
        c(Timeout(1), "…but node 1's retry timer fires: it tries again with a higher round."),
        c(DeliverAll("Prepare"), "Its Prepare overtakes the other's Accepts: the acceptors promise the new, higher ballot."),
        c(DeliverAll("Accept"), "The other proposer's Accepts arrive too late and are rejected."),
        c(DeliverAll("Nack"), ""),
        at(DeliverAll("Promise"), At::Sends("Accept"), "Node 1 has a majority of promises and sends its Accepts…"),
    ];
    const NODE_2_RETRIES: Cues = &[
        c(Timeout(2), "…but node 2's retry timer fires: it tries again with a higher round."),
        c(DeliverAll("Prepare"), "Its Prepare overtakes the other's Accepts: the acceptors promise the new, higher ballot."),
        c(DeliverAll("Accept"), "The other proposer's Accepts arrive too late and are rejected."),
        c(DeliverAll("Nack"), ""),
        at(DeliverAll("Promise"), At::Sends("Accept"), "Node 2 has a majority of promises and sends its Accepts…"),
    ];
    const END: Cues = &[c(Timeout(1), "…and so on forever. Each Prepare overtakes the other's Accepts. Paxos stays safe — nothing wrong is chosen — but nothing is chosen at all: a livelock. The fix is a distinguished proposer: see the next scenario.")];
    story(
        "dueling-proposers",
        "Two proposers, both eager, no leader. Watch them take turns ruining each other's round.",
        three(vec![1, 2], false),
        &[START, NODE_1_RETRIES, NODE_2_RETRIES, NODE_1_RETRIES, NODE_2_RETRIES, END],
    )
}

fn distinguished() -> Result<Session, SimError> {
    story(
        "distinguished-proposer",
        "The same two proposers, but now node 1 is the distinguished proposer: the only one that tries to issue proposals, while node 2 waits for it to fall silent.",
        three(vec![1, 2], true),
        &[&[
            c(Propose(1, "Green"), "A client asks node 1, the leader, to propose Green: Prepare 42.1."),
            c(Propose(2, "Blue"), "A client asks node 2 to propose Blue. Node 2 is not the leader, so it does not start a competing round: no duel."),
            c(RunUntilLearned(400), "Now let the network run. Node 1 sends heartbeats so node 2 knows the leader is alive; node 1's round meets no competition and Green is chosen and learned."),
        ]],
    )
}

fn lossy() -> Result<Session, SimError> {
    let policy = Policy { loss_ppm: 300_000, dup_ppm: 200_000, delay_ppm: 100_000, min_latency: 10, max_latency: 40 };
    story(
        "lossy-network",
        "Five nodes, two proposers, and a network that loses 30% of messages, duplicates 20% and delays 10%.",
        ClusterConfig { nodes: 5, proposers: vec![1, 2], distinguished: true, start_round: 42, seed: 2, policy, ..ClusterConfig::default() },
        &[&[
            c(Propose(1, "Green"), "Node 1, the leader, proposes Green."),
            c(Propose(2, "Blue"), "Node 2 keeps Blue and follows."),
            c(RunUntilLearned(20_000), "Let it run. Lost Prepares and Accepts make rounds fail and retry with higher ballots; a duplicated Prepare is answered only once, and other duplicates do no harm. Safety never breaks, and once enough messages get through a value is chosen and learned."),
        ]],
    )
}

/// The cluster a broken variant's story runs on.
pub fn bug_cluster(bug: Bug) -> ClusterConfig {
    match bug.protocol() {
        // Multi-Paxos's variants break a log: two slots, and a second leader's ballot.
        ProtocolKind::MultiPaxos => ClusterConfig {
            protocol: ProtocolKind::MultiPaxos,
            nodes: 3,
            proposers: vec![1, 2],
            bug: Some(bug),
            max_round: Some(2),
            slots: Some(2),
            ..ClusterConfig::default()
        },
        _ => ClusterConfig { nodes: 3, proposers: vec![1, 2], bug: Some(bug), max_round: Some(1), ..ClusterConfig::default() },
    }
}

/// The explorer's bounds for `bug`'s story: no faults, one proposal per proposer; one crash
/// for the variants about what survives a crash. `proposer-forgets-round` also needs a
/// second proposal, so the restarted proposer can be asked again, and duplicates: an acceptor
/// promises a ballot once, so the reused ballot's second majority of promises must come from
/// copies of the first ones still in the network.
pub fn bug_bounds(bug: Bug) -> Bounds {
    let crash = matches!(bug, Bug::AcceptorForgets | Bug::ProposerForgetsRound);
    let again = bug == Bug::ProposerForgetsRound;
    Bounds { crashes: u8::from(crash), proposals: 1 + u8::from(again), dups: again, max_states: 5_000_000, ..Bounds::new() }
}

/// The shortest counterexample the explorer finds for `bug` on [`bug_cluster`] within
/// [`bug_bounds`], replayed in a session. The page does not run this: it
/// opens [`BUG_LINKS`], which a test keeps equal to what this computes.
pub fn counterexample_session(bug: Bug) -> Result<Session, SimError> {
    let report = crate::protocols::check(&bug_cluster(bug), bug_bounds(bug))?;
    let Some((_, _, session)) = report.violation else {
        return Err(SimError::Invalid(format!("the explorer found no counterexample for {}", bug.name())));
    };
    Ok(session)
}

/// Each broken variant's shortest counterexample as a share link, so the page needs no
/// explorer (and stays small). `tests/golden.rs` checks them against the explorer.
pub const BUG_LINKS: [(Bug, &str); 8] = [
    (Bug::AcceptorForgets, "p1.AwYAAAECAQIAAAAKHgAQCAEFR3JlZW4IAgRCbHVlAAEABwACAAQACQAIAAsADAYDBwMABgATABQAFRDDKFfziGJxjA"),
    (Bug::ProposerIgnoresPromises, "p1.AwYAAAEEAQIAAAAKHgAOCAEFR3JlZW4IAgRCbHVlAAEABwACAAQACQAIAAsADAAFABMAFAAVDr5hNvj0aUTo"),
    (Bug::MinorityQuorum, "p1.AwYAAAEGAQIAAAAKHgAFCAEFR3JlZW4AAQAEAAUACAXYu5snAg-sHw"),
    (Bug::AcceptBelowPromise, "p1.AwYAAAEIAQIAAAAKHgAOCAEFR3JlZW4IAgRCbHVlAAEABwACAAQACQAIAAoACwAGABMAFAAVDnAstCS4pGZ5"),
    (Bug::ProposerForgetsRound, "p1.AwYAAAEKAQIAAAAKHgAQCAEFR3JlZW4AAQIEAAQAAgIGAAYACAAJBgEHAQgBBUFtYmVyAAUABwAUABUQFUOivjzDQQQ"),
    (Bug::NewLeaderSkipsPhase1, "p2.AwYAAAGMAQMAAAAKHgEDAAAACwgBBUdyZWVuCAIEQmx1ZQABAAUAAgAGAAkACg4CBmxlYWRlcgAQABELxrbz_RQXzTv4Yjdc-XZcrg"),
    (Bug::NoopOverwrites, "p2.AwYAAAGOAQMAAAAKHgEDAAAADggBBUdyZWVuAAEABAACAAUACAAJDgIGbGVhZGVyAA0AEAAOABEAEgATDuNcQRxMTEXJCvrykmKvtOw"),
    (Bug::ApplyOutOfOrder, "p2.AwYAAAGQAQMAAAAKHgEDAAAACwgBBUdyZWVuCAIEQmx1ZQABAAUAAgAGAAQADAAPAA0AEAtUfnysdbiyHLqDAAXFnxiq"),
];

/// A broken variant's scenario: the shortest counterexample the explorer finds.
fn bug_story(bug: Bug) -> Result<Session, SimError> {
    let link = BUG_LINKS.iter().find(|(b, _)| *b == bug).map(|(_, l)| *l).unwrap_or_default();
    let mut s = crate::sim::share::decode(link)?;
    s.seek(s.trace_len())?;
    s.set_scenario(Some(format!("bug-{}", bug.name())));
    let asks = if bug_bounds(bug).proposals > 1 {
        format!("clients may ask node 1 to propose {} and later {}, node 2 {} and later {}", colour(1), proposal_value(3, 1, 1), colour(2), proposal_value(3, 2, 1))
    } else {
        format!("clients may ask node 1 to propose {} and node 2 {}", colour(1), colour(2))
    };
    s.set_intro(format!(
        "{}. The exhaustive explorer searched every schedule of this cluster ({asks}, at any moment) and found this shortest path to a safety violation. Step through it.",
        bug.describe(),
    ));
    narrate(&mut s);
    let violations = s.violations();
    let v = violations.iter().filter(|v| v.property != "accept-below-promise").last().or(violations.last()).cloned();
    let v = v.ok_or_else(|| SimError::Invalid(format!("the {} story ends without a violation", bug.name())))?;
    s.set_caption(s.step(), &format!("Safety violation — {}. {}", v.title, v.explanation));
    Ok(s)
}

/// Captions for a counterexample, from its events: who proposes what, each broken rule at
/// the step it is broken (and, for a forgetful node, the step where the forgetting shows),
/// each choice. The violation's own caption goes on the last step.
fn narrate(s: &mut Session) {
    let mut notes: Vec<(usize, String)> = Vec::new();
    // A forgetful node whose next Promise (acceptor) or Prepare (proposer) shows the damage.
    let mut watch: Vec<(NodeId, Deviation)> = Vec::new();
    for k in 1..=s.step() {
        let mut say: Vec<String> = Vec::new();
        for e in s.events(k) {
            match *e {
                Event::Proposed { node, value } => say.push(format!("A client asks node {node} to propose {value}.")),
                Event::Deviated { node, what } => {
                    say.push(format!("Here the bug strikes: node {node} {}. {}", what.words(), what.rule()));
                    if matches!(what, Deviation::ForgotAcceptorState { .. } | Deviation::ForgotRound { .. }) {
                        watch.push((node, what));
                    }
                }
                Event::Sent(ref m) => {
                    let Some(i) = watch.iter().position(|w| w.0 == m.from) else { continue };
                    let shown = match (watch[i].1, m.msg.clone()) {
                        (Deviation::ForgotAcceptorState { accepted: Some((b, v)), .. }, AnyMsg::Paxos(Msg::Promise { ballot, prior })) if prior.map_or(true, |p| p.0 < b) => {
                            format!("Node {} promises {ballot} without reporting {b}: {v}, which it no longer remembers. A correct promise would carry it, and node {} would have to propose {v}.", m.from, m.to)
                        }
                        (Deviation::ForgotRound { max_round }, AnyMsg::Paxos(Msg::Prepare { ballot })) if ballot.round <= max_round => {
                            format!("Node {} sends Prepare {ballot}: a ballot it may already have used, since it forgot that its highest round was {max_round}.", m.from)
                        }
                        _ => continue,
                    };
                    watch.remove(i);
                    say.push(shown);
                }
                Event::Chosen { slot, ballot, value, by } => {
                    say.push(format!("{}.", chosen_words(slot, value, ballot, by)));
                }
                _ => {}
            }
        }
        if !say.is_empty() {
            notes.push((k, say.join(" ")));
        }
    }
    for (k, note) in notes {
        s.set_caption(k, &note);
    }
}

/// Leader election as a use of Paxos (the slides: "Leader election (eg. Mesos and
/// Zookeeper) – important to only have one leader at a time. Some node(s) propose to be
/// leader, other nodes can accept or reject."): single-decree Paxos whose value is a node id.
fn leader_election() -> Result<Session, SimError> {
    story(
        "leader-election",
        "Leader election is one of Paxos's uses (Mesos and ZooKeeper): it is important to have only one leader at a time. Here the value is not a colour but a node: nodes 1 and 2 each propose themselves, and the acceptors accept or reject. Whatever value is chosen is the leader.",
        three(vec![1, 2], false),
        &[&[
            c(Propose(1, "Leader 1"), "Node 1 sees no leader and runs: it proposes itself, Leader 1, with ballot 42.1."),
            c(Deliver(1, 1, "Prepare"), "The acceptors promise 42.1."),
            c(Deliver(1, 2, "Prepare"), ""),
            c(Deliver(1, 3, "Prepare"), ""),
            c(Propose(2, "Leader 2"), "Node 2 runs too: it proposes Leader 2, with ballot 42.2."),
            c(DeliverAll("Prepare"), "42.2 is higher than 42.1, so every acceptor promises 42.2 as well: from now on each ignores every ballot below 42.2."),
            at(DeliverAll("Promise"), At::Sends("Accept"), "Both candidates count a majority of promises, none reporting an accepted value, and each asks the acceptors to accept itself."),
            at(DeliverAll("Accept"), At::Chosen, "Node 1's Accept 42.1 is refused everywhere: every acceptor promised 42.2. Node 2's Accept 42.2 is accepted by a majority: Leader 2 is chosen. Node 2 is the leader, though nobody knows it yet."),
            c(DeliverAll("Nack"), "Node 1 hears its ballot was too low, but not who won: the Accepted reports are still on their way."),
            c(Timeout(1), "Node 1's timer fires before any report reaches it, so it runs again, with ballot 43.1."),
            c(DeliverAll("Prepare"), "The acceptors promise 43.1, and each promise reports what it accepted: 42.2: Leader 2."),
            at(DeliverAll("Promise"), At::Sends("Accept"), "So node 1 must propose Leader 2, not itself: once a leader is chosen, every higher ballot carries the same leader. A second election cannot elect a second leader."),
            c(RunUntilLearned(400), "The reports arrive and ballot 43.1 chooses Leader 2 again: every node learns that node 2 leads. One leader, and everyone agrees on it."),
        ]],
    )
}

/// Load a scenario by name: the session at the end of the story (seek to 0 to tell it from
/// the start).
pub fn load(name: &str) -> Result<Session, SimError> {
    match name {
        "happy-path" => happy_path(),
        "proposer-fails-before-accept" => proposer_fails(false),
        "proposer-fails-during-accept" => proposer_fails(true),
        "acceptor-fails" => acceptor_fails(),
        "dueling-proposers" => dueling(),
        "distinguished-proposer" => distinguished(),
        "lossy-network" => lossy(),
        "leader-election" => leader_election(),
        "multi-paxos-steady-leader" => multi::steady_leader(),
        "multi-paxos-leader-fails" => multi::leader_fails(),
        "multi-paxos-partition" => multi::partition(),
        "multi-paxos-lagging-replica" => multi::lagging_replica(),
        "multi-paxos-retried-command" => multi::retried_command(),
        "spc-commit" => spc::commit(),
        "spc-coordinator-fails-before-informing" => spc::coordinator_fails(false),
        "spc-coordinator-fails-after-informing" => spc::coordinator_fails(true),
        "spc-two-coordinators" => spc::two_coordinators(),
        "2pc-coordinator-dies" => commit::twopc_coordinator_dies(),
        "3pc-partition" => commit::threepc_partition(),
        "paxos-commit-survives" => paxoscommit::survives(),
        _ => match name.strip_prefix("bug-").map(Bug::from_name) {
            Some(Ok(bug)) => bug_story(bug),
            _ => {
                let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
                Err(SimError::Invalid(format!("unknown scenario \"{name}\"; the scenarios are: {}", names.join(", "))))
            }
        },
    }
}
