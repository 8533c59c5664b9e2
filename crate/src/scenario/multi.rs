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

/// (4) A lagging replica: node 3 is down while the leader commits three commands; it comes
/// back with its acceptor state (durable) but an empty replica log (volatile), and catches up
/// from the commit index in the leader's heartbeat.
pub(super) fn lagging_replica() -> Result<Session, SimError> {
    const LAG: Cues = &[
        c(Crash(3), "Node 3 crashes. Its acceptor's promise of 1.1 is on disk; what its replica knows (the chosen slots, the ledger) lives in memory only."),
        c(Propose(1, "Green"), "Clients keep asking the leader: Green goes in slot 1, Accept 1.1 [s1] Green."),
        at(DeliverAll("Accept"), At::Chosen, "Nodes 1 and 2 accept: two of three is a majority, so Green is chosen in slot 1 without node 3. The Accept to node 3 is lost: it is down."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The leader hears of the majority, applies Green and tells the replicas."),
        at(DeliverAll("Chosen"), At::Learns(2), "Node 2 learns and applies slot 1; the Chosen for node 3 is lost."),
        c(Propose(1, "Blue"), "Blue goes in slot 2."),
        at(DeliverAll("Accept"), At::Chosen, "Blue is chosen in slot 2, again by nodes 1 and 2."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The leader applies Blue and tells the replicas."),
        at(DeliverAll("Chosen"), At::Learns(2), "Node 2's ledger reads Green, Blue; node 3 misses this one too."),
        c(Propose(1, "Amber"), "Amber goes in slot 3."),
        at(DeliverAll("Accept"), At::Chosen, "Amber is chosen in slot 3."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "The leader applies Amber and tells the replicas."),
        at(DeliverAll("Chosen"), At::Learns(2), "Nodes 1 and 2 have applied slots 1 to 3. Node 3 has missed all three."),
        c(Restart(3), "Node 3 comes back. Its promise is still on disk (it accepted nothing: it was down), but its replica restarts empty: no slot known, nothing applied, a blank ledger. Nobody resends what it missed: the Chosen messages were lost, and a leader does not track who heard them."),
    ];
    const CATCH_UP: Cues = &[
        c(Fire(1, "heartbeat"), "The leader's heartbeat timer fires: Heartbeat 1.1 (commit 3) to nodes 2 and 3. Besides saying the leader is alive, a heartbeat carries its commit index: every slot up to 3 is chosen."),
        at(DeliverAll("Heartbeat"), At::Sends("CatchUp"), "Node 2 knows slots 1 to 3 already. Node 3 knows none of them, and commit 3 tells it so: it asks the leader for every chosen entry from slot 1 on, CatchUp [s1+]."),
        at(Deliver(3, 1, "CatchUp"), At::Sends("Chosen"), "The leader answers with what it knows is chosen: Chosen [s1] Green, [s2] Blue and [s3] Amber."),
        c(DeliverLast(1, 3, "Chosen"), "Suppose slot 3's answer overtakes the others. Node 3 learns Amber in slot 3 but cannot apply it: slots 1 and 2 are not known yet, and a replica applies the log in slot order. Its strip shows slot 3 chosen, not applied."),
        at(Deliver(1, 3, "Chosen"), At::Learns(3), "Slot 1 arrives: node 3 applies Green."),
        at(Deliver(1, 3, "Chosen"), At::Learns(3), "Slot 2 arrives: node 3 applies Blue, and then Amber, which was waiting for it. Its ledger reads Green, Blue, Amber, like everyone's: every replica applied the same sequence."),
    ];
    story(
        "multi-paxos-lagging-replica",
        "Three servers, each an acceptor and a replica; node 1 leads and node 2 stands by. A majority can choose without the third server. What does that server do when it comes back, having missed the log?",
        cluster(4, &[]),
        &[LEAD, LAG, CATCH_UP],
    )
}

/// (5) A retried command reaches the log twice and takes effect once: the client's retry is
/// chosen in slot 1 by a new leader while the first copy, accepted only by the crashed old
/// leader in slot 2, is re-proposed there when that node leads again.
pub(super) fn retried_command() -> Result<Session, SimError> {
    const FIRST_TRY: Cues = &[
        c(Propose(1, "Blue"), "Node 1 takes a command of its own, Blue (#1.1), and puts it in slot 1: Accept 1.1 [s1] Blue."),
        c(Deliver(1, 1, "Accept"), "Node 1's own acceptor accepts Blue in slot 1."),
        c(Propose(4, "Green"), "The client, node 4, sends its command Green, #4.1 (client 4, sequence number 1), to node 1, the leader it knows."),
        at(Deliver(4, 1, "Request"), At::Sends("Accept"), "Node 1 puts Green in the next free slot, 2: Accept 1.1 [s2] Green."),
        c(Deliver(1, 1, "Accept"), "Node 1's own acceptor accepts Green in slot 2, and writes it to disk."),
        at(DropFrom(1, "Accept"), At::Last, "The network loses node 1's Accepts to nodes 2 and 3, for both slots. Blue and Green are each accepted by one acceptor of three: nothing is chosen."),
        c(Crash(1), "Node 1 crashes. What it accepted, Blue in slot 1 and Green in slot 2, survives on its disk."),
        at(DropTo(1), At::Last, "Its acceptances, on their way to itself as leader, are lost: no other node knows that node 1 accepted anything."),
    ];
    const RETRY: Cues = &[
        c(Timeout(2), "Node 2 hears no heartbeat; its election timer fires and it takes over with ballot 2.2: phase 1 for slot 1 and every slot after it."),
        at(DeliverAll("Prepare"), At::Last, "Nodes 2 and 3 promise 2.2; neither has accepted anything. The Prepare to node 1 is lost: it is down."),
        at(DeliverAll("Promise"), At::Sends("Heartbeat"), "A majority has promised 2.2 and reported nothing: node 2 leads, with an empty log. It cannot know of node 1's Blue and Green: only node 1 accepted them."),
        at(DeliverAll("Heartbeat"), At::Last, "Node 3 hears the new leader."),
        c(Timeout(4), "The client has had no reply to #4.1. Its retry timer fires and it sends the same command, with the same number, to the next proposer: node 2."),
        at(Deliver(4, 2, "Request"), At::Sends("Accept"), "Node 2 leads, and its log does not hold #4.1, so it puts the command in its first free slot: Accept 2.2 [s1] Green. Green is now in two slots: slot 2 on node 1's disk, slot 1 here."),
        at(DeliverAll("Accept"), At::Chosen, "Nodes 2 and 3 accept: Green#4.1 is chosen in slot 1."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "Node 2 hears of the majority: it applies Green (first time: it takes effect, and client 4's last sequence number becomes 1), tells the replicas and replies to the client."),
        at(DeliverAll("Chosen"), At::Learns(3), "Node 3 applies Green from slot 1 too."),
        c(DeliverAll("Reply"), "The client hears that #4.1 is done."),
    ];
    const AGAIN: Cues = &[
        c(Restart(1), "Node 1 comes back. Its disk still holds its promise of 1.1 and its acceptances: Blue in slot 1, Green in slot 2. Its replica starts empty."),
        c(Fire(2, "heartbeat"), "Node 2's heartbeat timer fires: Heartbeat 2.2 (commit 1)."),
        at(DeliverAll("Heartbeat"), At::Sends("CatchUp"), "Node 1 hears that node 2 leads ballot 2.2 and that slot 1 is chosen; it knows no slot, so it asks to catch up."),
        at(Deliver(1, 2, "CatchUp"), At::Sends("Chosen"), "Node 2 answers: Chosen [s1] Green."),
        at(Deliver(2, 1, "Chosen"), At::Learns(1), "Node 1 learns Green#4.1 in slot 1 and applies it. Its Blue in slot 1 was never chosen and never will be; it is lost with node 1's memory, as a command whose client got no reply."),
        c(Crash(2), "Now node 2 crashes."),
        c(Timeout(1), "Node 1 hears no heartbeat and takes over. It has heard of ballot 2.2, so it picks a higher one, 3.1, and runs phase 1 for every slot from 2, the first it does not know chosen."),
        at(DeliverAll("Prepare"), At::Last, "Node 1's own acceptor promises 3.1 and reports what it accepted from slot 2 on: 1.1 Green#4.1 in slot 2. Node 3 promises and reports nothing. The Prepare to node 2 is lost."),
        at(DeliverAll("Promise"), At::Sends("Accept"), "A majority has promised 3.1. In slot 2 a promise reports 1.1 Green#4.1, so node 1 must re-propose it: Green may have been chosen there, for all a leader can tell from a majority of promises. Accept 3.1 [s2] Green: the same command, a second slot."),
        at(DeliverAll("Accept"), At::Chosen, "Nodes 1 and 3 accept: Green#4.1 is chosen in slot 2 as well. The log now holds one command twice. Paxos chooses one value per slot, and cannot tell that two slots carry the same request."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "Node 1 hears of the majority and applies slot 2: Green#4.1 again. Its table says client 4's last sequence number applied is 1, so the replica skips it: the event log says the slot had no effect. Node 1 replies to the client again; the client has nothing waiting."),
        at(DeliverAll("Chosen"), At::Learns(3), "Node 3 applies slot 2 and skips the copy too. Nodes 1 and 3 each hold Green once in their ledgers: the sequence numbers make a retried command take effect at most once, even when it is chosen twice."),
    ];
    story(
        "multi-paxos-retried-command",
        "Three servers, each an acceptor and a replica; node 1 leads and node 2 stands by; node 4 is a client. A client that hears no reply sends its command again. What if both copies reach the log?",
        cluster(4, &[4]),
        &[LEAD, FIRST_TRY, RETRY, AGAIN],
    )
}
