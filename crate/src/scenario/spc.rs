//! The single-proposer commit's guided stories: seed 3 (*Making Paxos face facts*)'s second
//! algorithm, told from the seed — and the checker's answer to the question it leaves open.

use super::Cue::*;
use super::{at, c, story, At, Cues};
use crate::protocols::ProtocolKind;
use crate::sim::{ClusterConfig, Session, SimError};

/// Three nodes, every one an acceptor and a learner; `candidates` may coordinate (the first
/// does from the start); a sequence of `slots` values.
fn cluster(candidates: Vec<u32>, slots: u32) -> ClusterConfig {
    ClusterConfig { protocol: ProtocolKind::SingleProposerCommit, nodes: 3, proposers: candidates, slots: Some(slots), ..ClusterConfig::default() }
}

/// (6) Phase 2 only: the distinguished proposer commits two values.
pub(super) fn commit() -> Result<Session, SimError> {
    story(
        "spc-commit",
        "Seed 3, Making Paxos face facts: \"if there is a single proposer, we can skip phase one ... the proposer sends a proposal message until it gets a majority acceptance or times out.\" Three nodes, each an acceptor and a learner; node 1 is the distinguished proposer D, and every node knows it. No ballots, no promises, no disk.",
        cluster(vec![1], 2),
        &[&[
            c(Propose(1, "Green"), "A client asks D, node 1, for Green. There is no phase 1: D gives Green sequence number 1 and sends Propose [s1] Green to every acceptor."),
            c(Deliver(1, 1, "Propose"), "Node 1's acceptor accepts Green: the proposal comes from the node it believes is D. It answers D, and only D."),
            c(Deliver(1, 2, "Propose"), "Node 2 accepts too. A majority of the acceptors has accepted: Green is chosen, though D does not know it yet."),
            c(Deliver(1, 3, "Propose"), "Node 3 accepts as well."),
            c(Deliver(1, 1, "Accepted"), "D counts its own acceptor's answer: one of three."),
            at(Deliver(2, 1, "Accepted"), At::Sends("Chosen"), "An accept response from a majority: D marks Green chosen and, \"to make the learning process more efficient\", notifies the learners and the acceptors."),
            c(Deliver(3, 1, "Accepted"), "The third answer arrives late; D no longer needs it."),
            at(DeliverAll("Chosen"), At::Learns(0), "The learners learn Green. The seed's three properties hold for a simple reason: only D proposes, so only one value is ever proposed for number 1."),
            c(Propose(1, "Blue"), "\"If we need a sequence of values, the distinguished proposer can just rerun the same process as needed and incorporate a sequence number in the values\": Blue gets number 2, Propose [s2] Blue."),
            at(DeliverAll("Propose"), At::Chosen, "The acceptors accept Blue as number 2: chosen."),
            at(DeliverAll("Accepted"), At::Sends("Chosen"), "One round trip, and D marks number 2 chosen and tells everyone."),
            at(DeliverAll("Chosen"), At::Last, "Every learner has Green, Blue. With one proposer that never fails, this is all there is: one round trip per value, which is what Multi-Paxos's steady leader does too."),
        ]],
    )
}

/// (7, 8) The coordinator fails before it informs any learner ("no harm no foul"), or after
/// it informed one (the new coordinator copies the accepted value).
pub(super) fn coordinator_fails(after: bool) -> Result<Session, SimError> {
    const START: Cues = &[
        c(Propose(1, "Green"), "A client asks D, node 1, for Green: Propose [s1] Green to every acceptor."),
        c(Propose(2, "Blue"), "A client asks node 2 for Blue. Node 2 is a candidate, not the coordinator: it keeps Blue."),
        c(Deliver(1, 1, "Propose"), "Node 1's own acceptor accepts Green."),
    ];
    const BEFORE: Cues = &[
        c(Crash(1), "D crashes before informing any learner — before even a majority accepted. Nothing is durable, so its acceptor's Green dies with it."),
        at(DropFrom(1, "Propose"), At::Last, "Its other proposals are lost: nobody else ever accepts Green."),
        at(DropTo(1), At::Last, "Messages to node 1 are lost while it is down."),
        c(Fire(2, "election"), "Node 2 hears no heartbeat and its election timer fires: it declares itself D and asks every acceptor what it has accepted (Elect)."),
        at(DeliverAll("Elect"), At::Last, "Nodes 2 and 3 follow node 2 and report: nothing accepted. The Elect to node 1 is lost."),
        at(DeliverAll("Report"), At::Sends("Propose"), "Reports from a majority, none with a value: \"start from a blank slate\". Node 2 proposes its own Blue as number 1."),
        at(DeliverAll("Propose"), At::Chosen, "Nodes 2 and 3 accept Blue: a majority, so Blue is chosen."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "Node 2 hears from a majority, marks Blue chosen and tells the learners."),
        at(DeliverAll("Chosen"), At::Last, "The live learners learn Blue. Green was never chosen and nobody was ever told it was: \"If the distinguished proposer fails before informing any Learners of the successful proposal, no harm no foul.\""),
    ];
    const AFTER: Cues = &[
        c(Deliver(1, 3, "Propose"), "Node 3 accepts Green too: a majority (nodes 1 and 3), so Green is chosen."),
        c(Deliver(1, 1, "Accepted"), "D counts its own acceptor's answer…"),
        at(Deliver(3, 1, "Accepted"), At::Sends("Chosen"), "…and node 3's: a majority. D marks Green chosen and notifies the learners and acceptors."),
        at(Deliver(1, 3, "Chosen"), At::Learns(3), "Node 3 learns Green: a learner has been informed."),
        c(Crash(1), "Now D crashes, after informing one learner. Its own acceptance is gone (no reliable store), but node 3 accepted Green too: \"since a majority of Acceptors must have accepted and a minority have failed, there is at least one Acceptor that knows the accepted value\"."),
        at(DropFrom(1, "Propose"), At::Last, "D's Propose to node 2 is lost…"),
        at(DropFrom(1, "Chosen"), At::Last, "…and so is its Chosen to node 2: node 2 was never told."),
        c(Fire(2, "election"), "Node 2 hears no heartbeat and its election timer fires: it declares itself D and asks every acceptor what it has accepted."),
        at(DeliverAll("Elect"), At::Last, "Node 2 reports nothing; node 3 reports Green. The Elect to node 1 is lost."),
        at(DeliverAll("Report"), At::Sends("Propose"), "Reports from a majority, and one carries Green: \"we can just copy an accepted value if any of the Acceptors has one\". Node 2 proposes Green as number 1 again, and its own Blue as number 2."),
        at(DeliverAll("Propose"), At::Chosen, "Nodes 2 and 3 accept Green as number 1 — it stays chosen — and Blue as number 2."),
        at(DeliverAll("Accepted"), At::Sends("Chosen"), "Node 2 hears from a majority for both and tells the learners."),
        at(DeliverAll("Chosen"), At::Last, "Node 2 learns Green as number 1, the value node 3 was told, and Blue as number 2. The learner informed before the crash and the one informed after agree: \"if any survives it will inform the others during election of a new coordinator\"."),
    ];
    let (name, intro, part) = if after {
        ("spc-coordinator-fails-after-informing", "Seed 3's second case: the distinguished proposer fails after informing a learner. Node 1 is D; node 2 is a candidate that takes over by timeout. Nothing is written to disk.", AFTER)
    } else {
        ("spc-coordinator-fails-before-informing", "Seed 3's first case: the distinguished proposer fails before informing any learner. Node 1 is D; node 2 is a candidate that takes over by timeout. Nothing is written to disk.", BEFORE)
    };
    story(name, intro, cluster(vec![1, 2], 2), &[START, part])
}

/// (9) Two coordinators decide different values: the checker's shortest counterexample
/// (crate::spc documents it move by move), then played on until two learners are told
/// different values.
pub(super) fn two_coordinators() -> Result<Session, SimError> {
    const COUNTEREXAMPLE: Cues = &[
        c(Propose(1, "Green"), "A client asks D, node 1, for Green: Propose [s1] Green to every acceptor."),
        c(Propose(2, "Blue"), "A client asks node 2 for Blue. Node 2 is not the coordinator: it keeps Blue."),
        c(Deliver(1, 2, "Propose"), "Node 1's proposal reaches node 2, which believes node 1 is D: it accepts Green."),
        c(Fire(2, "election"), "A heartbeat from D is late (nothing is lost: it is only slow) and node 2's election timer fires. \"An election mechanism can select new proposers\": node 2 declares itself D and asks every acceptor what it has accepted (Elect)."),
        c(Deliver(2, 1, "Elect"), "Node 1 believes the latest announcement: it steps down, follows node 2, and reports what it accepted: nothing — its own Propose to itself is still in the network."),
        c(Deliver(1, 2, "Report"), "Node 2 has one report: nothing."),
        c(Deliver(2, 3, "Elect"), "Node 3 follows node 2 and reports: nothing."),
        at(Deliver(3, 2, "Report"), At::Sends("Propose"), "A majority of the acceptors (nodes 1 and 3) reported nothing, so, as the seed says, node 2 starts from a blank slate — its own acceptor's Green is not among the reports — and proposes its Blue as number 1."),
        c(Deliver(2, 1, "Propose"), "Node 1 accepts Blue: it comes from node 2, whom node 1 now believes is D."),
        c(Deliver(2, 2, "Propose"), "Node 2 accepts Blue, overwriting Green. A majority (nodes 1 and 2) has accepted Blue: Blue is chosen."),
        c(Fire(1, "election"), "Node 1 hears no heartbeat from node 2 (late again) and its election timer fires: it declares itself D, its second term."),
        c(Deliver(1, 1, "Propose"), "The Propose [s1] Green that node 1 sent to itself in its first term, delayed in the network until now, arrives. It comes from the node node 1 believes is D — itself — so node 1 accepts Green. That proposal has now been accepted by nodes 2 (earlier) and 1: a majority, so by the seed's definition Green is chosen too. Two values are chosen. This is the checker's shortest counterexample: 12 moves, no message lost, no node crashed."),
    ];
    const HARM: Cues = &[
        c(Deliver(1, 2, "Accepted"), "Nobody has learned anything wrong yet. Play on, with no further fault: node 1's acceptance of Blue reaches node 2."),
        at(Deliver(2, 2, "Accepted"), At::Sends("Chosen"), "Node 2 has accept responses from a majority for Blue: it marks Blue chosen and tells the learners."),
        at(Deliver(2, 2, "Chosen"), At::Learns(2), "Node 2 learns Blue."),
        c(Deliver(1, 1, "Elect"), "Node 1's own announcement reaches it; as an acceptor it reports what it accepted: Green."),
        c(Deliver(1, 1, "Report"), "Node 1 has one report: Green."),
        c(Deliver(1, 3, "Elect"), "Node 3 believes the latest announcement it received, node 1's, and reports: nothing."),
        at(Deliver(3, 1, "Report"), At::Sends("Propose"), "A majority reported; one of them carries Green, so node 1 does what the seed says: \"copy an accepted value if any of the Acceptors has one\". It proposes Green as number 1 again."),
        c(DeliverLast(1, 1, "Propose"), "Node 1 accepts it."),
        c(DeliverLast(1, 3, "Propose"), "Node 3 accepts it: it believes node 1 is D."),
        c(DeliverLast(1, 1, "Accepted"), "Node 1 counts its own acceptance…"),
        at(DeliverLast(3, 1, "Accepted"), At::Sends("Chosen"), "…and node 3's: a majority. Node 1 marks Green chosen and tells the learners."),
        at(DeliverLast(1, 3, "Chosen"), At::Learns(3), "Node 3 learns Green, while node 2 learned Blue: two coordinators each received accept responses from a majority, for different values. What the seed's algorithm lacks is a way to tell an old proposal or announcement from a new one: node 1 accepted its own stale proposal because it came from the node it believed was D. Multi-Paxos's ballots close exactly this gap: a report is a promise carrying a ballot, an acceptor refuses anything below the highest ballot it promised (node 1, having promised node 2's ballot, would have refused the stale Green), and a new leader re-proposes the value of the highest ballot reported. See Multi-Paxos's partition story: two would-be leaders, and the stale one's Accepts are refused."),
    ];
    story(
        "spc-two-coordinators",
        "The seed says \"Timeouts can prevent problems in case of temporary partition\" but leaves open whether two coordinators can decide different values. The exhaustive checker answers yes: on three nodes with two candidates (node 1 is D at the start) and one value, this is the shortest schedule it found. No message is lost and no node crashes; messages are only slow.",
        ClusterConfig { max_round: Some(2), ..cluster(vec![1, 2], 1) },
        &[COUNTEREXAMPLE, HARM],
    )
}
