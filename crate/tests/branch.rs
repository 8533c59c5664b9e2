//! Acting in the past sets the old future aside instead of throwing it away: a story
//! survives curiosity (Return, or undo back to where it was left, brings it back), and a
//! free run's old future stays one undo away.

use paxoscope::scenario;
use paxoscope::sim::{Action, ClusterConfig, Policy, Session};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const STORY: &str = "proposer-fails-during-accept";

fn story_at(step: usize) -> Session {
    let mut s = scenario::load(STORY).unwrap();
    s.seek(step).unwrap();
    s
}

#[test]
fn a_step_off_script_keeps_the_story_and_undo_brings_it_back() {
    let whole = scenario::load(STORY).unwrap();
    let (len, end_hash) = (whole.trace_len(), whole.hash());
    let mut s = story_at(3);
    let caption = s.caption().map(str::to_string);
    assert!(caption.is_some());
    // The example: Next three times, then Step.
    s.act(Action::Step).unwrap();
    assert_eq!((s.step(), s.trace_len()), (4, 4));
    let b = s.branch().expect("the story is set aside");
    assert_eq!((b.at, b.steps, b.story), (3, len as u32 - 3, true));
    assert!(s.off_script() && s.caption().is_none(), "no story caption off script");
    // Undo back to the branch point: the story is the future again.
    s.undo().unwrap();
    assert_eq!((s.step(), s.trace_len()), (3, len));
    assert_eq!(s.caption().map(str::to_string), caption);
    assert_eq!(s.all_actions(), whole.all_actions());
    let b = s.branch().expect("the off-script step is one switch away");
    assert_eq!((b.at, b.steps, b.story), (3, 1, false));
    s.seek(len).unwrap();
    assert_eq!(s.hash(), end_hash, "the story plays to its end");
    assert_eq!(s.trace().captions, whole.trace().captions);
}

#[test]
fn return_switches_between_the_story_and_the_branch() {
    let whole = scenario::load(STORY).unwrap();
    let mut s = story_at(5);
    s.act(Action::Crash(2)).unwrap();
    s.act(Action::Step).unwrap();
    let (branch_hash, branch_actions) = (s.hash(), s.all_actions().to_vec());
    s.switch_future().unwrap();
    assert_eq!(s.step(), 5);
    assert_eq!(s.all_actions(), whole.all_actions());
    assert!(!s.off_script());
    assert_eq!(s.caption(), whole.clone().tap_seek(5).caption().map(str::to_string).as_deref());
    // And back to the branch, at its start: its steps are the redo part.
    s.switch_future().unwrap();
    assert_eq!(s.all_actions(), &branch_actions[..]);
    s.seek(s.trace_len()).unwrap();
    assert_eq!(s.hash(), branch_hash);
    assert!(s.off_script());
}

#[test]
fn acting_again_keeps_the_story_not_the_detour() {
    let whole = scenario::load(STORY).unwrap();
    let mut s = story_at(6);
    s.act(Action::Step).unwrap();
    s.act(Action::Step).unwrap();
    // A second detour inside the first one: the story is still the future set aside.
    s.undo().unwrap_or(());
    s.act(Action::Crash(3)).unwrap();
    let b = s.branch().unwrap();
    assert_eq!((b.at, b.story), (6, true));
    // A detour before the first one: the story from there on is kept.
    s.seek(2).unwrap();
    s.act(Action::Crash(1)).unwrap();
    let b = s.branch().unwrap();
    assert_eq!((b.at, b.steps, b.story), (2, whole.trace_len() as u32 - 2, true));
    s.switch_future().unwrap();
    assert_eq!(s.all_actions(), whole.all_actions());
}

#[test]
fn a_free_runs_old_future_is_one_undo_away() {
    let cfg = ClusterConfig { nodes: 5, proposers: vec![1, 2], policy: Policy { loss_ppm: 100_000, dup_ppm: 100_000, ..Policy::default() }, ..ClusterConfig::default() };
    let mut s = Session::new(cfg).unwrap();
    s.act(Action::Propose(1, paxoscope::paxos::Value::new("Green").unwrap())).unwrap();
    s.run(300);
    let (end, actions) = (s.hash(), s.all_actions().to_vec());
    assert!(actions.len() > 30, "{} steps", actions.len());
    s.seek(20).unwrap();
    s.act(Action::Crash(3)).unwrap();
    assert_eq!(s.trace_len(), 21, "a new future");
    assert!(s.caption().is_none() && !s.off_script());
    s.undo().unwrap();
    assert_eq!(s.all_actions(), &actions[..], "the old future is back");
    s.seek(s.trace_len()).unwrap();
    assert_eq!(s.hash(), end);
    assert!(s.switch_future().is_ok(), "and the new one is kept too");
    assert_eq!(s.trace_len(), 21);
    let mut none = Session::new(ClusterConfig::default()).unwrap();
    assert!(none.switch_future().is_err(), "nothing to return to");
}

trait TapSeek {
    fn tap_seek(self, step: usize) -> Self;
}
impl TapSeek for Session {
    fn tap_seek(mut self, step: usize) -> Self {
        self.seek(step).unwrap();
        self
    }
}

/// Whatever the mix of actions, undos, seeks and switches, the session stays what replaying
/// its actions gives: the same state, the same event log for every recorded step (the redo
/// part too), and switching twice changes nothing.
#[cfg(not(target_arch = "wasm32"))]
mod random {
    use super::*;
    use proptest::prelude::*;

    fn fresh(s: &Session) -> Session {
        let mut r = Session::new(s.config().clone()).unwrap();
        for a in s.all_actions() {
            r.act(a.clone()).unwrap();
        }
        r.seek(s.step()).unwrap();
        r
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn switching_futures_keeps_the_session_consistent(ops in proptest::collection::vec((0u8..6, 0usize..40), 1..40)) {
            let mut s = scenario::load(STORY).unwrap();
            s.seek(0).unwrap();
            for (op, k) in ops {
                match op {
                    0 => { let _ = s.act(Action::Step); }
                    1 => { let _ = s.undo(); }
                    2 => { let _ = s.redo(); }
                    3 => { let _ = s.seek(k.min(s.trace_len())); }
                    4 => { let _ = s.switch_future(); }
                    _ => { let _ = s.act(Action::Crash(1 + (k % 3) as u8)); }
                }
                let r = fresh(&s);
                prop_assert_eq!(s.hash(), r.hash());
                prop_assert_eq!(s.log(), r.log());
                if let Some(b) = s.branch() {
                    prop_assert!(b.at as usize <= s.trace_len());
                    let (before, step) = (s.all_actions().to_vec(), s.step());
                    let at = b.at as usize;
                    s.switch_future().unwrap();
                    s.switch_future().unwrap();
                    prop_assert_eq!(s.all_actions(), &before[..]);
                    prop_assert_eq!(s.step(), at);
                    s.seek(step).unwrap();
                }
            }
        }
    }
}

#[test]
fn next_caption_is_the_storys_next_beat() {
    let s = story_at(0);
    let trace = scenario::load(STORY).unwrap().trace();
    let first = trace.captions.iter().position(|c| !c.is_empty()).unwrap() + 1;
    assert_eq!(s.snapshot().next_caption, Some(first as u32));
    // From step 11 (the caption after two drops), the next beat is the next captioned step.
    let s = story_at(11);
    let next = (12..=trace.captions.len()).find(|&k| !trace.captions[k - 1].is_empty()).unwrap();
    assert_eq!(s.snapshot().next_caption, Some(next as u32));
    let end = scenario::load(STORY).unwrap();
    assert_eq!(end.snapshot().next_caption, None, "none after the last");
}
