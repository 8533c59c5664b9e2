//! Multi-Paxos's guided stories: a replicated log with a leader. *Paxos Made Simple* (quoted
//! in seed 3): "In normal operation, a single server is elected to be the leader, which acts
//! as the distinguished proposer (the only one that tries to issue proposals) in all
//! instances of the consensus algorithm." The 42.1/Green walk-through ends by naming
//! Multi-Paxos as what real systems run; these stories show what it adds to single-decree
//! Paxos, and why phase 1 can run once for the whole log.

use super::Cue::*;
use super::{at, c, story, At, Cues};
use crate::protocols::ProtocolKind;
use crate::sim::{ClusterConfig, Session, SimError};

/// Three servers (each an acceptor and a replica; nodes 1 and 2 may lead), a log of `slots`
/// slots, and the client nodes listed.
fn cluster(slots: u32, clients: &[u32]) -> ClusterConfig {
    ClusterConfig {
        protocol: ProtocolKind::MultiPaxos,
        nodes: 3 + clients.len() as u32,
        proposers: vec![1, 2],
        slots: Some(slots),
        clients: (!clients.is_empty()).then(|| clients.to_vec()),
        ..ClusterConfig::default()
    }
}

/// Node 1 wins phase 1 for the whole log and tells the followers.
const LEAD: Cues = &[
    c(DeliverAll("Prepare"), "Phase 1, once for the whole log: every acceptor promises ballot 1.1 for slot 1 and every slot after it, and reports what it has accepted in any of them: nothing yet."),
    at(DeliverAll("Promise"), At::Sends("Heartbeat"), "A majority has promised: node 1 leads ballot 1.1. It sends heartbeats, so that node 2, the other candidate, does not stand for election."),
    c(DeliverAll("Heartbeat"), "The followers hear the leader and restart their election timers."),
];

/// (1) A steady leader: phase 1 once, then one round trip (Accept, Accepted) per value.
pub(super) fn steady_leader() -> Result<Session, SimError> {
    const GREEN: Cues = &[
        c(Propose(4, "Green"), "The client, node 4, sends its first command to the node it believes leads: Green, numbered #4.1 (client 4, sequence number 1)."),
        at(Deliver(4, 1, "Request"), At::Sends("Accept"), "Node 1 puts Green in slot 1 and goes straight to phase 2: Accept 1.1 [s1] Green. No Prepare: the promises for ballot 1.1 cover every slot from 1 on and reported nothing accepted in any of them, so no other value can be chosen in slot 1 and node 1 may propose any value there."),
        at(DeliverAll("Accept"), At::Chosen, "The acceptors accept 1.1: Green in slot 1. Two of three is a majority: Green is chosen in slot 1."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The acceptances come back to the leader: one round trip. With a majority, node 1 knows slot 1 is chosen; it applies Green, tells the other replicas (Chosen) and replies to the client."),
        at(DeliverAll("Chosen"), At::Learns(0), "The replicas learn slot 1 and apply Green to their ledgers, in slot order."),
        c(DeliverAll("Reply"), "The client hears that #4.1 is done."),
    ];
    const BLUE: Cues = &[
        c(Propose(4, "Blue"), "The client's second command: Blue, #4.2."),
        at(Deliver(4, 1, "Request"), At::Sends("Accept"), "Node 1 puts Blue in the next free slot, 2, and again sends only Accept: its promise already covers slot 2."),
        at(DeliverAll("Accept"), At::Chosen, "A majority accepts 1.1: Blue in slot 2: Blue is chosen there."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "One round trip later the leader knows, applies Blue and tells the replicas and the client."),
        at(DeliverAll("Chosen"), At::Learns(0), "Every replica's ledger reads Green, Blue."),
        c(DeliverAll("Reply"), "#4.2 is done."),
    ];
    const AMBER: Cues = &[
        c(Propose(4, "Amber"), "A third command: Amber, #4.3."),
        at(Deliver(4, 1, "Request"), At::Sends("Accept"), "Slot 3, Accept only."),
        at(DeliverAll("Accept"), At::Chosen, "Amber is chosen in slot 3."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The leader learns it from the acceptances and passes it on."),
        at(DeliverAll("Chosen"), At::Learns(0), "Three values, three slots, and after the one phase 1 each took a single round trip between the leader and the acceptors. Phase 1 comes back only when the leader changes: see the next story."),
        c(DeliverAll("Reply"), "#4.3 is done."),
    ];
    story(
        "multi-paxos-steady-leader",
        "Multi-Paxos runs one consensus per slot of a log. Three servers, each an acceptor and a replica that applies the log to a ledger of shirt colours; nodes 1 and 2 may lead; node 4 is a client. Node 1 starts as the leader and has sent Prepare 1.1 [s1+]: phase 1 for slot 1 and every slot after it.",
        cluster(4, &[4]),
        &[LEAD, GREEN, BLUE, AMBER],
    )
}

/// (2) The leader dies with slot 2 empty and slot 3 chosen unknown to anyone: the new
/// leader's phase 1 finds slot 3's value, re-proposes it, and fills slot 2 with a no-op.
pub(super) fn leader_fails() -> Result<Session, SimError> {
    const FILL: Cues = &[
        c(Propose(1, "Green"), "A client asks node 1 for Green; node 1 puts it in slot 1: Accept 1.1 [s1] Green."),
        at(DeliverAll("Accept"), At::Chosen, "Green is chosen in slot 1."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The leader hears of a majority and tells the replicas."),
        at(DeliverAll("Chosen"), At::Learns(0), "Every replica learns and applies slot 1."),
        c(Propose(1, "Blue"), "A client asks for Blue: slot 2, Accept 1.1 [s2] Blue."),
        at(DropFrom(1, "Accept"), At::Last, "The network loses all three Accepts for slot 2 (we drop them by hand): no acceptor has anything in slot 2."),
        c(Propose(1, "Amber"), "The leader does not wait: a client's Amber goes in slot 3, Accept 1.1 [s3] Amber."),
        c(Deliver(1, 1, "Accept"), "Node 1's own acceptor accepts Amber in slot 3."),
        c(Deliver(1, 3, "Accept"), "Node 3 accepts it too: a majority, so Amber is chosen in slot 3. Nobody knows yet: the acceptances are still on their way to the leader."),
        c(Crash(1), "Node 1 crashes. Its log is half filled: slot 1 chosen and known, slot 2 empty everywhere, slot 3 chosen but known to nobody."),
        at(DropFrom(1, "Accept"), At::Last, "Its last Accept, to node 2, is lost."),
        at(DropTo(1), At::Last, "Messages to node 1 are lost while it is down."),
        c(Timeout(2), "Node 2 hears no heartbeat; its election timer fires and it takes over with ballot 2.2, higher than 1.1. It knows slot 1 is chosen, so it runs phase 1 once for slot 2 and every slot after it."),
        c(Deliver(2, 2, "Prepare"), "Node 2's own acceptor promises 2.2: it has accepted nothing from slot 2 on."),
        c(Deliver(2, 3, "Prepare"), "Node 3 promises 2.2, and its promise reports what it accepted: 1.1 Amber in slot 3."),
        at(DropTo(1), At::Last, "The Prepare to node 1 is lost."),
        c(Deliver(2, 2, "Promise"), "Node 2 counts its own promise."),
        at(Deliver(3, 2, "Promise"), At::Sends("Accept"), "A majority has promised 2.2: node 2 leads. In every open slot up to the highest one reported it must re-propose the highest-ballot value reported: Amber in slot 3: it was in fact chosen, and node 2, which cannot tell, must treat it as if it may have been. Slot 2 no promise reports: node 2 fills the gap with a no-op, so the replicas, which apply in slot order, are not stuck behind it."),
        at(DeliverAll("Accept"), At::Chosen, "Nodes 2 and 3 accept 2.2 in slots 2 and 3: the no-op is chosen in slot 2, and Amber again in slot 3 — the same value, so nothing chosen has changed."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The new leader hears of both majorities and tells the replicas."),
        at(DeliverAll("Chosen"), At::Last, "Node 3 applies slot 2, a no-op that changes nothing, then slot 3, Amber. Blue was never accepted anywhere, so it is in no slot: its client got no reply and must ask again."),
    ];
    story(
        "multi-paxos-leader-fails",
        "Three servers, each an acceptor and a replica; node 1 leads and node 2 stands by. What does a new leader do with a log the old one left half filled?",
        cluster(3, &[]),
        &[LEAD, FILL],
    )
}

/// (3) A partition: node 2 leads the majority side while node 1, cut off, still believes it
/// leads; node 1's Accepts are refused by the ballot the majority promised.
pub(super) fn partition() -> Result<Session, SimError> {
    const SPLIT: Cues = &[
        c(Cut(1, 2), "A partition: the link between nodes 1 and 2 fails…"),
        c(Cut(1, 3), "…and the one between nodes 1 and 3. Node 1 is on its own; messages across the cut wait until it heals."),
        c(Timeout(2), "Node 2 hears no heartbeat: none can cross the cut. Its election timer fires and it takes over with ballot 2.2, phase 1 for every slot from 1 on."),
        at(DeliverAll("Prepare"), At::Last, "Nodes 2 and 3 promise 2.2: from now on they refuse every ballot below 2.2, in every slot. The Prepare to node 1 is lost at the cut."),
        at(DeliverAll("Promise"), At::Sends("Heartbeat"), "A majority has promised: node 2 leads ballot 2.2. Node 1 has heard nothing and still believes it leads 1.1: two would-be leaders."),
        c(Propose(1, "Green"), "A client on node 1's side asks it for Green. Believing it leads, node 1 sends Accept 1.1 [s1] Green, skipping phase 1 as a leader does."),
        c(Deliver(1, 1, "Accept"), "Node 1's own acceptor accepts: it promised nothing above 1.1. One acceptor of three is no majority; the other two Accepts wait at the cut."),
        c(Propose(2, "Blue"), "A client asks node 2 for Blue: Accept 2.2 [s1] Blue, in the same slot."),
        c(Deliver(2, 2, "Accept"), "Node 2 accepts 2.2: Blue in slot 1."),
        c(Deliver(2, 3, "Accept"), "So does node 3: a majority, so Blue is chosen in slot 1."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "Node 2 hears of the majority and tells the replicas; the message to node 1 waits at the cut."),
        c(Heal(1, 2), "The partition heals…"),
        c(Heal(1, 3), "…and the messages held at the cut can arrive."),
        c(Deliver(1, 3, "Accept"), "Node 1's stale Accept 1.1 [s1] Green reaches node 3. Node 3 promised 2.2, and 1.1 is lower: it refuses. This is what ballots are for: once a majority has promised a newer ballot, an old leader can never gather a majority again."),
        c(Deliver(1, 2, "Accept"), "Node 2 refuses it too. Green is accepted by node 1 alone and will never be chosen."),
        c(Deliver(2, 1, "Accept"), "Node 2's Accept 2.2 [s1] Blue reaches node 1: 2.2 is above its promise, so node 1 accepts Blue, replacing Green, and, having seen a higher ballot, steps down and follows node 2."),
        at(DeliverAll("Chosen"), At::Learns(0), "The replicas learn Blue in slot 1. Two nodes believed they led, and still one value was chosen per slot: safety never depended on there being one leader, only progress does."),
    ];
    story(
        "multi-paxos-partition",
        "Three servers, each an acceptor and a replica; node 1 leads and node 2 stands by. A partition will make node 2 believe the leader is dead while node 1 believes it still leads.",
        cluster(2, &[]),
        &[LEAD, SPLIT],
    )
}
