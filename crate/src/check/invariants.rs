//! The safety properties of consensus, checked after every step by both the simulator and
//! the explorer.
//!
//! *Paxos Made Simple*, §2.1: "Only a value that has been proposed may be chosen, only a
//! single value is chosen, and a process never learns that a value has been chosen unless it
//! actually has been." A value is chosen when a majority of the acceptors have accepted the
//! same ballot. Acceptors overwrite what they accepted, so the checks keep a ghost history of
//! every acceptance; it is part of the explored state, so pruning by visited states stays
//! sound.

use crate::paxos::quorum::{is_quorum, majority};
use crate::paxos::{Ballot, Value};
use crate::protocol::{bit, NodeId, NodeSet, Observation};

/// Which rule broke.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Property {
    OnlyProposed,
    AtMostOne,
    LearnedChosen,
    /// Internal sanity, not one of the three properties: an acceptor never accepts a ballot
    /// below the one it promised.
    AcceptBelowPromise,
}

impl Property {
    /// Every property a violation can name.
    pub const ALL: [Property; 4] = [Property::OnlyProposed, Property::AtMostOne, Property::LearnedChosen, Property::AcceptBelowPromise];

    /// The safety properties, in the order the page lists them (not the internal sanity check).
    pub const SAFETY: [Property; 3] = [Property::OnlyProposed, Property::AtMostOne, Property::LearnedChosen];

    /// Every property's name, in the order of [`Property::ALL`].
    pub const NAMES: [&'static str; 4] = ["only-proposed", "at-most-one", "learned-chosen", "accept-below-promise"];
    /// Every property's title, in the order of [`Property::ALL`].
    pub const TITLES: [&'static str; 4] = [
        "Only a proposed value is chosen",
        "At most one value is chosen",
        "Nobody learns a value that was not chosen",
        "An acceptor never accepts below its promise",
    ];

    /// Stable machine name, used by the page and in traces.
    pub fn name(self) -> &'static str {
        Property::NAMES[self as usize]
    }

    pub fn title(self) -> &'static str {
        Property::TITLES[self as usize]
    }
}

/// A property broken by one observation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Breach {
    OnlyProposed { ballot: Ballot, value: Value },
    AtMostOne { first: (Ballot, Value), second: (Ballot, Value) },
    /// `node` 0: some learner could learn it (found by the explorer).
    LearnedUnchosen { node: NodeId, value: Value },
    AcceptBelowPromise { node: NodeId, ballot: Ballot, promised: Ballot },
}

impl Breach {
    pub fn property(&self) -> Property {
        match self {
            Breach::OnlyProposed { .. } => Property::OnlyProposed,
            Breach::AtMostOne { .. } => Property::AtMostOne,
            Breach::LearnedUnchosen { .. } => Property::LearnedChosen,
            Breach::AcceptBelowPromise { .. } => Property::AcceptBelowPromise,
        }
    }
}

/// Which acceptors accepted one proposal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Acceptance {
    pub ballot: Ballot,
    pub value: Value,
    pub by: NodeSet,
}

/// The ghost history the properties are judged against.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Ghost {
    /// Values clients proposed, sorted.
    pub proposed: Vec<Value>,
    /// Every proposal any acceptor ever accepted, sorted by (ballot, value).
    pub acceptances: Vec<Acceptance>,
    /// Proposals accepted by a majority, in the order they became chosen.
    pub chosen: Vec<(Ballot, Value)>,
}

impl Ghost {
    /// The chosen value, if any (the first one, should a broken variant choose two).
    pub fn chosen_value(&self) -> Option<Value> {
        self.chosen.first().map(|c| c.1)
    }

    /// The acceptors that accepted `(ballot, value)`.
    pub fn accepted_by(&self, ballot: Ballot, value: Value) -> NodeSet {
        self.acceptances.iter().find(|a| a.ballot == ballot && a.value == value).map_or(0, |a| a.by)
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
            Observation::Accepted { ballot, value, promised } => {
                let key = (ballot, value);
                let i = match self.acceptances.binary_search_by(|a| (a.ballot, a.value).cmp(&key)) {
                    Ok(i) => i,
                    Err(i) => {
                        self.acceptances.insert(i, Acceptance { ballot, value, by: 0 });
                        i
                    }
                };
                let was = self.acceptances[i].by;
                let now = was | bit(node);
                self.acceptances[i].by = now;
                let size = majority(acceptors.count_ones() as usize);
                let mut breach = None;
                if !is_quorum(was, acceptors, size) && is_quorum(now, acceptors, size) {
                    if let Some(&first) = self.chosen.iter().find(|c| c.1 != value) {
                        breach = Some(Breach::AtMostOne { first, second: key });
                    }
                    if self.proposed.binary_search(&value).is_err() {
                        breach = breach.or(Some(Breach::OnlyProposed { ballot, value }));
                    }
                    self.chosen.push(key);
                }
                if let Some(q) = learn_quorum {
                    let could_learn = !is_quorum(was, acceptors, q) && is_quorum(now, acceptors, q);
                    if could_learn && !self.chosen.iter().any(|c| c.1 == value) {
                        breach = breach.or(Some(Breach::LearnedUnchosen { node: 0, value }));
                    }
                }
                if let Some(p) = promised.filter(|&p| ballot < p) {
                    breach = breach.or(Some(Breach::AcceptBelowPromise { node, ballot, promised: p }));
                }
                breach
            }
            Observation::Deviated(_) => None,
            Observation::Learned(value) => {
                if self.chosen.iter().any(|c| c.1 == value) {
                    None
                } else {
                    Some(Breach::LearnedUnchosen { node, value })
                }
            }
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
        Observation::Accepted { ballot: b, value, promised }
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
        assert!(matches!(g.observe(2, &Observation::Learned(v("Green")), ACC), Some(Breach::LearnedUnchosen { .. })));
        assert_eq!(g.observe(1, &accepted(b, v("Green"), Some(b)), ACC), None);
        assert_eq!(g.chosen_value(), Some(v("Green")));
        assert_eq!(g.observe(2, &Observation::Learned(v("Green")), ACC), None);
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
        assert_eq!(breach, Some(Breach::AtMostOne { first: (b1, v("Green")), second: (b2, v("Blue")) }));
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
        assert_eq!(g.observe(2, &accepted(b1, v("Red"), None), ACC), Some(Breach::OnlyProposed { ballot: b1, value: v("Red") }));
    }

    #[test]
    fn accepting_below_a_promise_is_flagged() {
        let mut g = Ghost::default();
        let got = g.observe(2, &accepted(Ballot::new(1, 1), v("Green"), Some(Ballot::new(2, 2))), ACC);
        assert_eq!(got, Some(Breach::AcceptBelowPromise { node: 2, ballot: Ballot::new(1, 1), promised: Ballot::new(2, 2) }));
    }
}
