//! The safety properties of consensus, checked after every step by both the simulator and
//! the explorer.
//!
//! *Paxos Made Simple*, §2.1: "Only a value that has been proposed may be chosen, only a
//! single value is chosen, and a process never learns that a value has been chosen unless it
//! actually has been." A value is chosen when a majority of the acceptors have accepted the
//! same ballot. Acceptors overwrite what they accepted, so the checks keep a ghost history of
//! every acceptance; it is part of the explored state, so pruning by visited states stays
//! sound.

use std::hash::{Hash, Hasher};

use crate::paxos::quorum::{is_quorum, majority};
use crate::paxos::{Ballot, Value};
use crate::protocol::{bit, CommandId, NodeId, NodeSet, Observation, Renaming, SlotNo};

/// Which rule broke.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Property {
    OnlyProposed,
    AtMostOne,
    LearnedChosen,
    /// Internal sanity, not one of the three properties: an acceptor never accepts a ballot
    /// below the one it promised.
    AcceptBelowPromise,
    /// Replicated state machines: every replica applies the chosen values in slot order, so
    /// every replica's sequence is a prefix of the longest.
    SameSequence,
    /// Replicated state machines: a client's command takes effect at most once, even when
    /// its retries reach the log twice.
    AppliedOnce,
    /// Leaders: at most one node leads any one ballot.
    OneLeader,
    /// Commit protocols: all nodes that decide, decide the same.
    Agreement,
    /// Commit protocols: the transaction commits only if every participant voted yes.
    CommitValidity,
    /// Commit protocols: a node never changes its decision.
    Irrevocable,
}

impl Property {
    /// Every property a violation can name.
    pub const ALL: [Property; 10] = [
        Property::OnlyProposed,
        Property::AtMostOne,
        Property::LearnedChosen,
        Property::AcceptBelowPromise,
        Property::SameSequence,
        Property::AppliedOnce,
        Property::OneLeader,
        Property::Agreement,
        Property::CommitValidity,
        Property::Irrevocable,
    ];

    /// The commit protocols' properties, in the order the page lists them.
    pub const COMMIT: [Property; 3] = [Property::Agreement, Property::CommitValidity, Property::Irrevocable];

    /// Single-decree consensus's properties, in the order the page lists them (not the
    /// internal sanity check).
    pub const SAFETY: [Property; 3] = [Property::OnlyProposed, Property::AtMostOne, Property::LearnedChosen];

    /// Every property's name, in the order of [`Property::ALL`].
    pub const NAMES: [&'static str; 10] = [
        "only-proposed",
        "at-most-one",
        "learned-chosen",
        "accept-below-promise",
        "same-sequence",
        "applied-once",
        "one-leader",
        "agreement",
        "commit-validity",
        "irrevocable",
    ];
    /// Every property's title, in the order of [`Property::ALL`].
    pub const TITLES: [&'static str; 10] = [
        "Only a proposed value is chosen",
        "At most one value is chosen",
        "Nobody learns a value that was not chosen",
        "An acceptor never accepts below its promise",
        "Every replica applies the same sequence",
        "A command is applied at most once",
        "At most one leader per ballot",
        "All nodes that decide, decide the same",
        "Commit only if every participant voted yes",
        "A decision is never revoked",
    ];

    /// Stable machine name, used by the page and in traces.
    pub fn name(self) -> &'static str {
        Property::NAMES[self as usize]
    }

    pub fn title(self) -> &'static str {
        Property::TITLES[self as usize]
    }

    /// Every property's title for a protocol with a log, in the order of [`Property::ALL`].
    pub const LOG_TITLES: [&'static str; 10] = [
        "Only a proposed value is chosen in a slot",
        "At most one value is chosen per slot",
        "Nobody learns a value that was not chosen for its slot",
        "An acceptor never accepts below its promise",
        "Every replica applies the same sequence",
        "A command is applied at most once",
        "At most one leader per ballot",
        "All nodes that decide, decide the same",
        "Commit only if every participant voted yes",
        "A decision is never revoked",
    ];

    /// The title for a protocol with a log: the per-slot properties say "in a slot".
    pub fn title_for_log(self) -> &'static str {
        Property::LOG_TITLES[self as usize]
    }
}

/// A property broken by one observation. `slot` is 0 for single-decree protocols.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Breach {
    OnlyProposed { slot: SlotNo, ballot: Ballot, value: Value },
    AtMostOne { slot: SlotNo, first: (Ballot, Value), second: (Ballot, Value) },
    /// `node` 0: some learner could learn it (found by the explorer).
    LearnedUnchosen { node: NodeId, slot: SlotNo, value: Value },
    AcceptBelowPromise { node: NodeId, ballot: Ballot, promised: Ballot },
    /// `node` applied `slot` right after `prev` (not `slot - 1`), or applied a value that is
    /// not the one chosen there (`chosen`, if any).
    OutOfSequence { node: NodeId, slot: SlotNo, prev: SlotNo, value: Value, chosen: Option<Value> },
    /// `node` applied `command` in `slot` although it took effect in `first` before.
    AppliedTwice { node: NodeId, command: CommandId, first: SlotNo, slot: SlotNo },
    /// Two nodes lead `ballot`.
    TwoLeaders { ballot: Ballot, first: NodeId, second: NodeId },
    /// `node` decided `commit` (or abort) although `other` had decided the opposite.
    Disagree { node: NodeId, commit: bool, other: NodeId },
    /// `node` decided commit although the participants in `missing` had not voted yes.
    CommitWithoutYes { node: NodeId, missing: NodeSet },
    /// `node` decided `commit` (or abort) after deciding the opposite.
    Revoked { node: NodeId, commit: bool },
}

impl Breach {
    /// The log slot it is about (0: single decree, or not about one slot).
    pub fn slot(&self) -> SlotNo {
        match *self {
            Breach::OnlyProposed { slot, .. } | Breach::AtMostOne { slot, .. } | Breach::LearnedUnchosen { slot, .. } | Breach::OutOfSequence { slot, .. } | Breach::AppliedTwice { slot, .. } => slot,
            Breach::AcceptBelowPromise { .. } | Breach::TwoLeaders { .. } | Breach::Disagree { .. } | Breach::CommitWithoutYes { .. } | Breach::Revoked { .. } => 0,
        }
    }

    pub fn property(&self) -> Property {
        match self {
            Breach::OnlyProposed { .. } => Property::OnlyProposed,
            Breach::AtMostOne { .. } => Property::AtMostOne,
            Breach::LearnedUnchosen { .. } => Property::LearnedChosen,
            Breach::AcceptBelowPromise { .. } => Property::AcceptBelowPromise,
            Breach::OutOfSequence { .. } => Property::SameSequence,
            Breach::AppliedTwice { .. } => Property::AppliedOnce,
            Breach::TwoLeaders { .. } => Property::OneLeader,
            Breach::Disagree { .. } => Property::Agreement,
            Breach::CommitWithoutYes { .. } => Property::CommitValidity,
            Breach::Revoked { .. } => Property::Irrevocable,
        }
    }
}

/// Which acceptors accepted one proposal in one slot.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Acceptance {
    pub slot: SlotNo,
    pub ballot: Ballot,
    pub value: Value,
    pub by: NodeSet,
}

/// A proposal chosen in a slot.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Chosen {
    pub slot: SlotNo,
    pub ballot: Ballot,
    pub value: Value,
}

// The ghost is part of the state hash, which traces and links record: slot 0 and the lists
// single-decree Paxos never fills are left out, so its hashes are what they were before
// slots existed (the derived Hash of the same fields without them).
impl Hash for Acceptance {
    fn hash<H: Hasher>(&self, h: &mut H) {
        if self.slot != 0 {
            self.slot.hash(h);
        }
        (self.ballot, self.value, self.by).hash(h);
    }
}

impl Hash for Chosen {
    fn hash<H: Hasher>(&self, h: &mut H) {
        if self.slot != 0 {
            self.slot.hash(h);
        }
        (self.ballot, self.value).hash(h);
    }
}

impl Hash for Ghost {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.proposed.hash(h);
        self.acceptances.hash(h);
        self.chosen.hash(h);
        if !self.effects.is_empty() {
            self.effects.hash(h);
        }
        if !self.leaders.is_empty() {
            self.leaders.hash(h);
        }
        if (self.yes, self.no, self.committed, self.aborted) != (0, 0, 0, 0) {
            (self.yes, self.no, self.committed, self.aborted).hash(h);
        }
    }
}

/// The ghost history the properties are judged against.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Ghost {
    /// Values clients proposed, sorted.
    pub proposed: Vec<Value>,
    /// Every proposal any acceptor ever accepted, sorted by (slot, ballot, value).
    pub acceptances: Vec<Acceptance>,
    /// Proposals accepted by a majority, in the order they became chosen.
    pub chosen: Vec<Chosen>,
    /// Commands that took effect, with the slot they took effect in, sorted.
    pub effects: Vec<(CommandId, SlotNo)>,
    /// Leaders, by ballot, sorted.
    pub leaders: Vec<(Ballot, NodeId)>,
    /// Commit protocols: the participants that voted yes, and no.
    pub yes: NodeSet,
    pub no: NodeSet,
    /// Commit protocols: the nodes that decided commit, and abort (a node in both revoked
    /// a decision).
    pub committed: NodeSet,
    pub aborted: NodeSet,
}

impl Ghost {
    /// The chosen value of slot 0 or the first chosen, if any (the first one, should a broken
    /// variant choose two).
    pub fn chosen_value(&self) -> Option<Value> {
        self.chosen.first().map(|c| c.value)
    }

    /// The first value chosen in `slot`.
    pub fn chosen_in(&self, slot: SlotNo) -> Option<Value> {
        self.chosen.iter().find(|c| c.slot == slot).map(|c| c.value)
    }

    /// The acceptors that accepted `(ballot, value)` in `slot`.
    pub fn accepted_by(&self, slot: SlotNo, ballot: Ballot, value: Value) -> NodeSet {
        self.acceptances.iter().find(|a| a.slot == slot && a.ballot == ballot && a.value == value).map_or(0, |a| a.by)
    }

    /// This history with every node id renamed by `map` (the checker's symmetry reduction,
    /// `check::symmetry`): the acceptor sets, the ballots' proposers, the leaders, the
    /// clients of the commands, the commit protocols' vote and decision sets. Values are
    /// opaque: a protocol whose values name nodes must not declare those nodes symmetric.
    pub fn renamed(&self, map: &Renaming) -> Ghost {
        let b = |x: Ballot| Ballot::new(x.round, map.id(x.node));
        let mut acceptances: Vec<Acceptance> = self.acceptances.iter().map(|a| Acceptance { slot: a.slot, ballot: b(a.ballot), value: a.value, by: map.set(a.by) }).collect();
        acceptances.sort_by(|x, y| (x.slot, x.ballot, x.value).cmp(&(y.slot, y.ballot, y.value)));
        let mut effects: Vec<(CommandId, SlotNo)> = self.effects.iter().map(|&(c, slot)| (CommandId { client: map.id(c.client), seq: c.seq }, slot)).collect();
        effects.sort();
        let mut leaders: Vec<(Ballot, NodeId)> = self.leaders.iter().map(|&(x, n)| (b(x), map.id(n))).collect();
        leaders.sort();
        Ghost {
            proposed: self.proposed.clone(),
            acceptances,
            chosen: self.chosen.iter().map(|c| Chosen { slot: c.slot, ballot: b(c.ballot), value: c.value }).collect(),
            effects,
            leaders,
            yes: map.set(self.yes),
            no: map.set(self.no),
            committed: map.set(self.committed),
            aborted: map.set(self.aborted),
        }
    }

    /// Whether node ids of `ids` appear in this history's node sets (acceptors, votes,
    /// decisions), and whether they appear anywhere else (ballots, leaders, clients).
    pub fn mentions(&self, ids: NodeSet) -> (bool, bool) {
        let in_sets = self.acceptances.iter().any(|a| a.by & ids != 0) || (self.yes | self.no | self.committed | self.aborted) & ids != 0;
        let named = |n: NodeId| ids & bit(n) != 0;
        let elsewhere = self.acceptances.iter().any(|a| named(a.ballot.node))
            || self.chosen.iter().any(|c| named(c.ballot.node))
            || self.leaders.iter().any(|&(b, n)| named(b.node) || named(n))
            || self.effects.iter().any(|(c, _)| named(c.client));
        (in_sets, elsewhere)
    }

    /// Hash `self.renamed(map)` into `h` without building it, for a `map` that only moves
    /// ids held in the node sets (see [`Ghost::mentions`]), so that no list changes order.
    pub fn hash_sets_renamed<H: Hasher>(&self, map: &Renaming, h: &mut H) {
        self.proposed.hash(h);
        // As `Vec::hash`: the length, then each element.
        h.write_usize(self.acceptances.len());
        for a in &self.acceptances {
            Acceptance { by: map.set(a.by), ..*a }.hash(h);
        }
        self.chosen.hash(h);
        if !self.effects.is_empty() {
            self.effects.hash(h);
        }
        if !self.leaders.is_empty() {
            self.leaders.hash(h);
        }
        if (self.yes, self.no, self.committed, self.aborted) != (0, 0, 0, 0) {
            (map.set(self.yes), map.set(self.no), map.set(self.committed), map.set(self.aborted)).hash(h);
        }
    }

    /// Record what `node` did and return the first property it broke, if any.
    /// `acceptors` is the cluster's acceptor set: a majority of it chooses.
    pub fn observe(&mut self, node: NodeId, o: &Observation, acceptors: NodeSet) -> Option<Breach> {
        self.observe_with(node, o, acceptors, None)
    }

    /// As [`Ghost::observe`]; with `learn_quorum`, also report the moment a learner *could*
    /// learn an unchosen value: every acceptance is reported to every learner, so once
    /// `learn_quorum` acceptors have accepted `(ballot, value)` a learner that receives those
    /// reports learns `value`. Used by the explorer, which does not deliver the reports.
    pub fn observe_with(&mut self, node: NodeId, o: &Observation, acceptors: NodeSet, learn_quorum: Option<usize>) -> Option<Breach> {
        match *o {
            Observation::Proposed(v) => {
                if let Err(i) = self.proposed.binary_search(&v) {
                    self.proposed.insert(i, v);
                }
                None
            }
            Observation::Accepted { slot, ballot, value, promised } => {
                let key = (slot, ballot, value);
                let i = match self.acceptances.binary_search_by(|a| (a.slot, a.ballot, a.value).cmp(&key)) {
                    Ok(i) => i,
                    Err(i) => {
                        self.acceptances.insert(i, Acceptance { slot, ballot, value, by: 0 });
                        i
                    }
                };
                let was = self.acceptances[i].by;
                let now = was | bit(node);
                self.acceptances[i].by = now;
                let size = majority(acceptors.count_ones() as usize);
                let mut breach = None;
                if !is_quorum(was, acceptors, size) && is_quorum(now, acceptors, size) {
                    if let Some(first) = self.chosen.iter().find(|c| c.slot == slot && c.value != value) {
                        breach = Some(Breach::AtMostOne { slot, first: (first.ballot, first.value), second: (ballot, value) });
                    }
                    if self.proposed.binary_search(&value).is_err() {
                        breach = breach.or(Some(Breach::OnlyProposed { slot, ballot, value }));
                    }
                    self.chosen.push(Chosen { slot, ballot, value });
                }
                if let Some(q) = learn_quorum {
                    let could_learn = !is_quorum(was, acceptors, q) && is_quorum(now, acceptors, q);
                    if could_learn && !self.chosen.iter().any(|c| c.slot == slot && c.value == value) {
                        breach = breach.or(Some(Breach::LearnedUnchosen { node: 0, slot, value }));
                    }
                }
                if let Some(p) = promised.filter(|&p| ballot < p) {
                    breach = breach.or(Some(Breach::AcceptBelowPromise { node, ballot, promised: p }));
                }
                breach
            }
            Observation::Deviated(_) => None,
            Observation::Voted { yes } => {
                if yes {
                    self.yes |= bit(node);
                } else {
                    self.no |= bit(node);
                }
                None
            }
            Observation::Decided { commit, participants } => {
                let theirs = if commit { self.aborted } else { self.committed };
                let mut breach = None;
                if theirs & bit(node) != 0 {
                    breach = Some(Breach::Revoked { node, commit });
                } else if let Some(other) = crate::protocol::members(theirs & !bit(node)).next() {
                    breach = Some(Breach::Disagree { node, commit, other });
                }
                let missing = participants & !self.yes;
                if commit && missing != 0 {
                    breach = breach.or(Some(Breach::CommitWithoutYes { node, missing }));
                }
                if commit {
                    self.committed |= bit(node);
                } else {
                    self.aborted |= bit(node);
                }
                breach
            }
            Observation::Learned { slot, value } => {
                if self.chosen.iter().any(|c| c.slot == slot && c.value == value) {
                    None
                } else {
                    Some(Breach::LearnedUnchosen { node, slot, value })
                }
            }
            Observation::Applied { slot, prev, value, command, effect } => {
                let chosen = self.chosen_in(slot);
                if prev + 1 != slot || chosen != Some(value) {
                    return Some(Breach::OutOfSequence { node, slot, prev, value, chosen });
                }
                let (Some(command), true) = (command, effect) else { return None };
                match self.effects.binary_search_by(|e| e.0.cmp(&command)) {
                    Ok(i) if self.effects[i].1 != slot => Some(Breach::AppliedTwice { node, command, first: self.effects[i].1, slot }),
                    Ok(_) => None,
                    Err(i) => {
                        self.effects.insert(i, (command, slot));
                        None
                    }
                }
            }
            Observation::Leader { ballot } => match self.leaders.binary_search_by(|l| l.0.cmp(&ballot)) {
                Ok(i) if self.leaders[i].1 != node => Some(Breach::TwoLeaders { ballot, first: self.leaders[i].1, second: node }),
                Ok(_) => None,
                Err(i) => {
                    self.leaders.insert(i, (ballot, node));
                    None
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::new(s).unwrap()
    }
    fn accepted(b: Ballot, value: Value, promised: Option<Ballot>) -> Observation {
        Observation::Accepted { slot: 0, ballot: b, value, promised }
    }
    const ACC: NodeSet = bit(1) | bit(2) | bit(3);

    #[test]
    fn a_value_is_chosen_by_a_majority_of_one_ballot() {
        let mut g = Ghost::default();
        let b = Ballot::new(42, 1);
        assert_eq!(g.observe(1, &Observation::Proposed(v("Green")), ACC), None);
        assert_eq!(g.observe(3, &accepted(b, v("Green"), Some(b)), ACC), None);
        assert_eq!(g.chosen_value(), None);
        // A learner that learns now learns an unchosen value.
        assert!(matches!(g.observe(2, &Observation::Learned { slot: 0, value: v("Green") }, ACC), Some(Breach::LearnedUnchosen { .. })));
        assert_eq!(g.observe(1, &accepted(b, v("Green"), Some(b)), ACC), None);
        assert_eq!(g.chosen_value(), Some(v("Green")));
        assert_eq!(g.observe(2, &Observation::Learned { slot: 0, value: v("Green") }, ACC), None);
    }

    #[test]
    fn acceptances_of_different_ballots_do_not_add_up() {
        let mut g = Ghost::default();
        g.observe(1, &Observation::Proposed(v("Green")), ACC);
        g.observe(1, &accepted(Ballot::new(1, 1), v("Green"), None), ACC);
        g.observe(2, &accepted(Ballot::new(2, 1), v("Green"), None), ACC);
        assert_eq!(g.chosen_value(), None);
    }

    #[test]
    fn two_values_chosen_is_a_breach() {
        let mut g = Ghost::default();
        for s in ["Green", "Blue"] {
            g.observe(1, &Observation::Proposed(v(s)), ACC);
        }
        let (b1, b2) = (Ballot::new(1, 1), Ballot::new(1, 2));
        g.observe(1, &accepted(b1, v("Green"), None), ACC);
        g.observe(2, &accepted(b1, v("Green"), None), ACC);
        g.observe(2, &accepted(b2, v("Blue"), None), ACC);
        let breach = g.observe(3, &accepted(b2, v("Blue"), None), ACC);
        assert_eq!(breach, Some(Breach::AtMostOne { slot: 0, first: (b1, v("Green")), second: (b2, v("Blue")) }));
    }

    #[test]
    fn the_same_value_chosen_twice_is_fine_and_unproposed_is_not() {
        let mut g = Ghost::default();
        let (b1, b2) = (Ballot::new(1, 1), Ballot::new(2, 2));
        g.observe(1, &Observation::Proposed(v("Green")), ACC);
        for n in [1, 2] {
            g.observe(n, &accepted(b1, v("Green"), None), ACC);
        }
        for n in [2, 3] {
            assert_eq!(g.observe(n, &accepted(b2, v("Green"), None), ACC), None);
        }
        let mut g = Ghost::default();
        g.observe(1, &accepted(b1, v("Red"), None), ACC);
        assert_eq!(g.observe(2, &accepted(b1, v("Red"), None), ACC), Some(Breach::OnlyProposed { slot: 0, ballot: b1, value: v("Red") }));
    }

    #[test]
    fn commit_decisions_must_agree_need_every_yes_and_stand() {
        let parts = bit(2) | bit(3);
        let decided = |commit| Observation::Decided { commit, participants: parts };
        let mut g = Ghost::default();
        g.observe(2, &Observation::Voted { yes: true }, ACC);
        assert_eq!(g.observe(1, &decided(true), ACC), Some(Breach::CommitWithoutYes { node: 1, missing: bit(3) }));
        g.observe(3, &Observation::Voted { yes: true }, ACC);
        assert_eq!(g.observe(2, &decided(true), ACC), None);
        assert_eq!(g.observe(3, &decided(false), ACC), Some(Breach::Disagree { node: 3, commit: false, other: 1 }));
        assert_eq!(g.observe(2, &decided(false), ACC), Some(Breach::Revoked { node: 2, commit: false }));
        // Aborting without every vote is fine, and so is deciding the same twice.
        let mut g = Ghost::default();
        g.observe(3, &Observation::Voted { yes: false }, ACC);
        assert_eq!(g.observe(1, &decided(false), ACC), None);
        assert_eq!(g.observe(1, &decided(false), ACC), None);
        assert_eq!(g.observe(2, &decided(false), ACC), None);
    }

    #[test]
    fn accepting_below_a_promise_is_flagged() {
        let mut g = Ghost::default();
        let got = g.observe(2, &accepted(Ballot::new(1, 1), v("Green"), Some(Ballot::new(2, 2))), ACC);
        assert_eq!(got, Some(Breach::AcceptBelowPromise { node: 2, ballot: Ballot::new(1, 1), promised: Ballot::new(2, 2) }));
    }
}
