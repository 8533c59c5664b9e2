//! The commit protocols' guided stories: the *Paxos Made Simple* slides' two reasons for a
//! consensus-based commit — "2PC works, but can get stuck" and "3PC ... produces incorrect
//! results in some situations".

use super::Cue::*;
use super::{at, c, story, At};
use crate::protocols::ProtocolKind;
use crate::sim::{ClusterConfig, Session, SimError};

/// Three nodes: node 1 coordinates, nodes 2 and 3 participate.
fn cluster(protocol: ProtocolKind) -> ClusterConfig {
    ClusterConfig { protocol, nodes: 3, proposers: vec![1], ..ClusterConfig::default() }
}

/// Two-phase commit blocks: everyone votes yes, the coordinator dies before its decision
/// leaves, and the participants can only wait.
pub(super) fn twopc_coordinator_dies() -> Result<Session, SimError> {
    story(
        "2pc-coordinator-dies",
        "The slides: \"2PC works, but can get stuck\" — \"Jim Gray proposes 2PC in the 1970s, but it blocks on single node failures\". Node 1 is the coordinator (transaction manager); nodes 2 and 3 are participants (resource managers). One transaction, Green.",
        cluster(ProtocolKind::TwoPhaseCommit),
        &[&[
            c(Propose(1, "Green"), "A client asks the coordinator to commit transaction Green. Node 1 writes it to disk and sends Prepare Green to both participants: phase 1, the vote."),
            c(Deliver(1, 2, "Prepare"), "Node 2 can commit its part: it writes its yes vote to disk, then sends it. From now on it may not abort alone — the coordinator may already have decided commit."),
            c(Deliver(1, 3, "Prepare"), "Node 3 votes yes too, written to disk first. Both participants are now prepared: uncertain, bound to do whatever the coordinator decides."),
            c(Deliver(2, 1, "Vote"), "Node 2's yes vote reaches the coordinator; node 3's is still on its way."),
            c(Crash(1), "The coordinator crashes before node 3's vote arrives: no decision was made, so none was written and none left. Both participants voted yes and hold their locks."),
            at(DropTo(1), At::Last, "Node 3's vote is lost with the coordinator."),
            c(Fire(2, "timeout"), "Node 2 has waited long enough. It voted yes, so aborting alone could contradict a commit the coordinator might have decided; committing alone could contradict an abort. It can only ask the coordinator (Query). Its card says BLOCKED: only the coordinator knows the outcome, and the coordinator is down."),
            at(DropTo(1), At::Last, "The query goes unanswered."),
            c(Fire(3, "timeout"), "Node 3 asks too. Asking each other would not help: both voted yes, and neither knows whether the coordinator decided commit (all votes yes) or abort (its vote timeout)."),
            at(DropTo(1), At::Last, "Unanswered again. Both participants are blocked for as long as node 1 stays down — a single node failure stops the transaction, which is what \"2PC blocks on single node failures\" means. Restarting node 1 would end it (presumed abort: with no decision on disk it aborts and tells everyone). Paxos Commit (the story paxos-commit-survives) runs the same schedule with the votes chosen by Paxos on a majority of acceptors, and finishes without the coordinator."),
        ]],
    )
}

/// Three-phase commit under a partition: one side commits, the other aborts (the shortest
/// schedule, written by hand).
pub(super) fn threepc_partition() -> Result<Session, SimError> {
    story(
        "3pc-partition",
        "The slides: \"Dale Skeen proposes 3PC in the 1980s, but it produces incorrect results in some situations\". 3PC adds a pre-commit phase and timeouts so that participants can finish without a dead coordinator — if a timeout means the other node is dead. A partition makes a live node look dead. Node 1 coordinates; nodes 2 and 3 participate.",
        cluster(ProtocolKind::ThreePhaseCommit),
        &[&[
            c(Propose(1, "Green"), "A client asks the coordinator to commit Green: CanCommit Green to both participants."),
            c(Deliver(1, 2, "CanCommit"), "Node 2 votes yes (written to disk first): it is uncertain now, and can no longer abort alone."),
            c(Deliver(1, 3, "CanCommit"), "Node 3 votes yes too."),
            c(Deliver(2, 1, "Yes"), "Node 2's yes reaches the coordinator."),
            c(Deliver(3, 1, "Yes"), "Every vote is yes: the coordinator writes \"pre-committed\" and sends PreCommit. Nobody commits until everyone has heard that everyone voted yes."),
            c(Cut(1, 3), "The network splits before either PreCommit arrives: node 3 can no longer reach node 1…"),
            c(Cut(2, 3), "…nor node 2. Sides {1, 2} and {3}. Every node is up."),
            c(Fire(1, "ack-timeout"), "The coordinator hears no ack from node 3 and times out. After a pre-commit, 3PC's rule for a missing ack is commit: the silent node is presumed dead. Node 1 COMMITS."),
            c(Fire(3, "timeout"), "On the other side node 3 hears nothing from the coordinator and times out. 3PC assumes a timeout means a crash, so it runs the termination protocol: it asks the other participant for its state (StateReq), which cannot cross the partition."),
            c(Fire(3, "decide"), "No answer before its decide timeout. Skeen's rule on the states it has — its own: uncertain — says abort. Node 3 ABORTS: one side committed, the other aborted, agreement is broken and the safety panel is red. Both nodes followed the protocol; only its assumption — a timeout means a crash — was false. These ten steps are the checker's shortest counterexample (paxoscope check --protocol 3pc --nodes 3 --partitions)."),
            c(Deliver(1, 2, "DoCommit"), "Node 2 commits as well. When the network heals, the transaction has both committed and aborted. A consensus-based commit (Paxos Commit) needs a majority, so a minority side cannot decide on its own: \"so a consensus algorithm is better\"."),
        ]],
    )
}
