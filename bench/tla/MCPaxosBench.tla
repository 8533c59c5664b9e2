---------------------------- MODULE MCPaxosBench ----------------------------
(***************************************************************************)
(* Paxoscope's model of Lamport's Paxos.tla for scripts/bench-checkers.sh: *)
(* 3 acceptors, 2 values, majority quorums, ballots 0..2. Paxos.tla is not *)
(* in this repository: the script reads it from ../shared/reference/, and  *)
(* drops its refinement part (from `V == INSTANCE Voting` on), so Voting   *)
(* is not needed; the consistency invariant is therefore stated here.      *)
(***************************************************************************)
EXTENDS Paxos, FiniteSets

MCQuorum == {Q \in SUBSET Acceptor : 2 * Cardinality(Q) > Cardinality(Acceptor)}

MCBallot == 0..2

\* Value v is chosen when some quorum voted for it in one ballot (a 2b
\* message of each of its acceptors for that ballot and value).
Chosen(v) == \E b \in MCBallot, Q \in Quorum : \A a \in Q : <<b, v>> \in votes[a]

\* At most one value is ever chosen.
Consistency == \A v1, v2 \in Value : Chosen(v1) /\ Chosen(v2) => v1 = v2
=============================================================================
