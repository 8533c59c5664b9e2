//! Paxos Commit's guided story: the crash that blocks two-phase commit, survived.

use super::Cue::*;
use super::{at, c, story, At};
use crate::protocols::ProtocolKind;
use crate::sim::{ClusterConfig, Session, SimError};

/// The same schedule as `2pc-coordinator-dies`: everyone votes yes, the coordinator crashes
/// after the votes and before any decision leaves; then a participant's timer fires, it
/// recovers both instances with a higher ballot, and every node up commits.
pub(super) fn survives() -> Result<Session, SimError> {
    story(
        "paxos-commit-survives",
        "Gray and Lamport's Paxos Commit on three nodes: node 1 coordinates, nodes 2 and 3 participate, and all three are acceptors (2F+1 = 3, so F = 1 failure is tolerated). Each participant's vote is chosen by its own Paxos instance: instance 2 for node 2, instance 3 for node 3, each choosing Prepared or Aborted. We replay the schedule that leaves two-phase commit stuck.",
        ClusterConfig { protocol: ProtocolKind::PaxosCommit, nodes: 3, ..ClusterConfig::default() },
        &[&[
            c(Propose(1, "Green"), "A client asks node 1, the coordinator, to commit transaction Green: it sends BeginCommit to the participants, nodes 2 and 3."),
            c(Deliver(1, 2, "BeginCommit"), "Node 2 is ready: it votes yes. It writes the vote to disk, then sends it as phase 2a of its own instance with ballot 0 (Accept [2] 0.2 Prepared) to every acceptor — not just to the coordinator as in two-phase commit. Ballot 0 is node 2's alone, so it needs no phase 1."),
            c(Deliver(1, 3, "BeginCommit"), "Node 3 votes yes the same way: Accept [3] 0.3 Prepared to every acceptor."),
            at(DeliverAll("Accept"), At::Chosen, "The acceptors accept both votes, write them down and send phase 2b (Accepted) to the coordinator. As soon as two of the three acceptors accepted Prepared in an instance, Prepared is chosen there: both votes are now chosen, and can never change, though nobody knows it yet."),
            c(Crash(1), "The coordinator crashes after the votes and before any decision leaves — exactly where two-phase commit blocks: there, only the coordinator knows the votes, and participants that voted yes must wait for it, however long it stays down."),
            at(DropTo(1), At::Last, "The Accepted messages to node 1 are lost while it is down."),
            c(Fire(2, "recover"), "Node 2 voted yes and has heard no decision: its recovery timer fires. Instead of waiting it becomes leader of a higher ballot, 1.2, and runs phase 1 for every instance at once: Prepare 1.2 to every acceptor."),
            at(DeliverAll("Prepare"), At::Last, "Nodes 2 and 3 promise 1.2 (the Prepare to node 1 is lost). Each promise reports what the acceptor accepted in each instance: 0.2 Prepared and 0.3 Prepared."),
            at(DeliverAll("Promise"), At::Sends("Accept"), "A majority of the acceptors promised. In each instance node 2 must propose the value of the highest ballot reported — Prepared in both (had an instance reported nothing, it would propose Aborted: that vote cannot have been chosen). It sends Accept 1.2 Prepared for instances 2 and 3."),
            at(DeliverAll("Accept"), At::Last, "Nodes 2 and 3 accept ballot 1.2 and send phase 2b to node 2, the leader of 1.2."),
            at(DeliverAll("Accepted"), At::Sends("Commit"), "Node 2 hears a majority accept 1.2 Prepared in both instances: every participant's instance chose Prepared, so the transaction commits. It may: both Prepared were already chosen by a majority of acceptors before the crash, and a higher ballot can only carry a chosen value forward. Node 2 writes commit and sends Commit to the others."),
            c(DeliverAll("Commit"), "Node 3 commits (the Commit to node 1 is lost: it is down). With the coordinator still down, both participants decided — the same crash that blocks two-phase commit, survived with a majority of acceptors up."),
            c(Restart(1), "Node 1 comes back. It remembers beginning Green but never learned the outcome, and the Commit sent to it was lost: it arms its own recovery timer."),
            c(Fire(1, "recover"), "Its timer fires: node 1 leads ballot 1.1 and sends Prepare 1.1 to every acceptor."),
            at(DeliverAll("Prepare"), At::Last, "Node 1's own acceptor promises 1.1. Nodes 2 and 3 have decided: instead of promising (they promised 1.2 anyway), they answer a recovering leader with the decision itself, Commit."),
            c(DeliverAll("Commit"), "Node 1 commits too (the second Commit changes nothing): every node decided commit, and no one had to wait for a node that was down."),
        ]],
    )
}
