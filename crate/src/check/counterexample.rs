//! Turning an explorer path into a simulator trace, so the CLI can print it and the page can
//! open it. The translation is checked: the replay must break the same property.

use super::explorer::Move;
use super::invariants::Property;
use crate::protocol::{bit, members, NodeId};
use crate::protocols::Registered;
use crate::sim::world::{Action, Slot};
use crate::sim::{ClusterConfig, Session, SimError};

fn find<P: Registered>(s: &Session, from: NodeId, to: NodeId, msg: &P::Msg) -> Vec<u32> {
    let msg = P::wrap_msg(msg.clone());
    s.world().pending.iter().filter(|p| p.from == from && p.to == to && p.msg == msg).map(|p| p.id).collect()
}

/// Replay `path` (from [`super::check_paxos`] on `cluster`) in a simulator session.
/// `dups`: the path came from a duplicating (set) network, where a delivered message may be
/// delivered again; the session duplicates such a message before delivering it.
pub fn replay<P: Registered>(cluster: &ClusterConfig, path: &[Move<P>], dups: bool, property: Property) -> Result<Session, SimError> {
    replay_on(Session::new(cluster.clone())?, path, dups, property)
}

/// As [`replay`], continuing the run of `s` (a search from its end, [`super::explorer::Start`]).
pub fn replay_on<P: Registered>(s: Session, path: &[Move<P>], dups: bool, property: Property) -> Result<Session, SimError> {
    let mut s = replay_moves_on(s, path, dups)?;
    if property == Property::LearnedChosen && s.config().protocol == crate::protocols::ProtocolKind::Paxos {
        show_learning(&mut s)?;
    }
    if !s.world().violations.iter().any(|v| v.property == property.name()) {
        return Err(SimError::Invalid(format!("the replayed counterexample does not break {:?}", property.name())));
    }
    Ok(s)
}

/// Replay an explorer path in a new session, move by move: a proposal as the same proposal,
/// a delivery or drop as that of a message with the same sender, receiver and contents, a
/// timer as that very timer (`Fire`, by name), a crash or restart as itself, a partition
/// as cutting every link between its two sides (`Cut`, one link a step) and healing as
/// healing every cut link.
pub fn replay_moves<P: Registered>(cluster: &ClusterConfig, path: &[Move<P>], dups: bool) -> Result<Session, SimError> {
    replay_moves_on(Session::new(cluster.clone())?, path, dups)
}

/// As [`replay_moves`], continuing the run of `s`.
pub fn replay_moves_on<P: Registered>(mut s: Session, path: &[Move<P>], dups: bool) -> Result<Session, SimError> {
    for (i, m) in path.iter().enumerate() {
        match *m {
            Move::Propose(node, value) => {
                s.act(Action::Propose(node, value))?;
            }
            Move::Deliver(ref e) | Move::Drop(ref e) => {
                let ids = find::<P>(&s, e.from, e.to, &e.msg);
                let Some(&id) = ids.first() else {
                    return Err(SimError::Invalid(format!("counterexample step {}: message {:?} is not in flight", i + 1, e)));
                };
                let receiver_down = matches!(s.world().node(e.to), Some(Slot::Down(_)));
                if matches!(m, Move::Drop(_)) || receiver_down {
                    s.act(Action::Drop(id))?;
                    continue;
                }
                let again = path[i + 1..].iter().any(|n| matches!(n, Move::Deliver(f) | Move::Drop(f) if f == e));
                if dups && again && ids.len() == 1 {
                    s.act(Action::Duplicate(id))?;
                }
                s.act(Action::Deliver(id))?;
            }
            Move::Fire(node, timer) => {
                s.act(Action::Fire(node, P::timer_name(&timer).to_string()))?;
            }
            Move::Crash(node) => {
                s.act(Action::Crash(node))?;
            }
            Move::Restart(node) => {
                s.act(Action::Restart(node))?;
            }
            Move::Cut(side) => {
                // Every link between the two sides.
                let n = s.world().slots.len() as NodeId;
                for a in (1..=n).filter(|&a| side & bit(a) != 0) {
                    for b in (1..=n).filter(|&b| side & bit(b) == 0) {
                        s.act(Action::Cut(a.min(b), a.max(b)))?;
                    }
                }
            }
            Move::Heal => {
                for (a, b) in s.world().cut.clone() {
                    s.act(Action::Heal(a, b))?;
                }
            }
        }
    }
    Ok(s)
}

/// The explorer stops when a learner *could* learn an unchosen value; let one actually learn
/// it: deliver the Accepted reports of the proposal that reached the learners' quorum.
fn show_learning(s: &mut Session) -> Result<(), SimError> {
    let cfg = s.config().paxos()?;
    let Some(last) = s.world().ghost.acceptances.iter().max_by_key(|a| a.by.count_ones()).copied() else {
        return Err(SimError::Invalid("no acceptance to learn from".into()));
    };
    for learner in members(cfg.learners) {
        if !matches!(s.world().node(learner), Some(Slot::Up(_))) {
            continue;
        }
        let reports: Vec<u32> = s
            .world()
            .pending
            .iter()
            .filter(|p| p.to == learner && matches!(p.msg, crate::protocols::AnyMsg::Paxos(crate::paxos::Msg::Accepted { ballot, value }) if ballot == last.ballot && value == last.value))
            .map(|p| p.id)
            .collect();
        for id in reports {
            s.act(Action::Deliver(id))?;
            if !s.world().violations.is_empty() {
                return Ok(());
            }
        }
    }
    Ok(())
}
