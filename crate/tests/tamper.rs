//! A damaged link or trace is refused with a message, never opened as something else:
//! every character of every built-in story's share link changed to every other base64
//! character, and every byte of every story's trace changed, either is refused or opens as
//! exactly the original. Links written by the old `p1.` encoder (tests/golden/p1-links.txt,
//! without the check `p2.` links carry) still open, and resist the same changes.
#![cfg(not(target_arch = "wasm32"))]

use paxoscope::scenario::{self, SCENARIOS};
use paxoscope::sim::{share, Session, Trace};

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Everything a session shows and keeps: the cluster, every action (the redo part too), the
/// place in time and the state hash (all in its link), the captions and the log (its trace),
/// the caption shown now.
fn everything(s: &Session) -> (String, String, Option<String>) {
    (s.share(), s.trace().to_text(), s.snapshot().caption)
}

fn story_at(name: &str, step: usize) -> Session {
    let mut s = scenario::load(name).unwrap();
    s.seek(step).unwrap();
    s
}

/// Change every character after `keep` to every other base64 character; returns how many
/// opened (as the original: anything else fails the test).
fn change_every_character(link: &str, keep: usize, want: &(String, String, Option<String>)) -> usize {
    let mut opened = 0;
    let mut b = link.as_bytes().to_vec();
    for i in keep..b.len() {
        let orig = b[i];
        for &c in B64.iter().filter(|&&c| c != orig) {
            b[i] = c;
            let changed = std::str::from_utf8(&b).unwrap();
            if let Ok(s) = share::decode(changed) {
                assert_eq!(&everything(&s), want, "{changed} (from {link}) opened as something else");
                opened += 1;
            }
        }
        b[i] = orig;
    }
    opened
}

#[test]
fn every_changed_character_of_a_story_link_is_refused() {
    let mut tried = 0;
    for info in SCENARIOS {
        let end = scenario::load(info.name).unwrap().trace_len();
        for step in [end / 3, end] {
            let s = story_at(info.name, step);
            let link = s.share();
            assert!(link.starts_with("p2."));
            let want = everything(&s);
            assert_eq!(everything(&share::decode(&link).unwrap()), want, "{} at step {step} opens as itself", info.name);
            // The prefix too: "p1." reads the rest without its check, which then is extra data.
            assert_eq!(change_every_character(&link, 0, &want), 0, "{link}: the check catches every change");
            tried += link.len() * 63;
        }
    }
    assert!(tried > 100_000, "{tried} links tried");
}

/// Stories that changed after the p1 fixtures were written (commit 4a25c1e: a repeated
/// Prepare is no longer answered, so lossy-network moved to seed 2; bug-minority-quorum's
/// shortest counterexample lost a proposal). Their old links must be refused, not opened as
/// the new story.
const CHANGED: &[&str] = &["lossy-network", "bug-minority-quorum"];

/// Stories retold with other steps since (proposer-fails-before-accept now crashes node 1
/// before its majority). A p1 link has no check of its own and relies on the story's steps,
/// so their old p1 links are refused too (checked p2 links of the old steps open as the run
/// they recorded).
const REWRITTEN: &[&str] = &["proposer-fails-before-accept"];

/// Stories that go on further since (acceptor-fails now shows how node 3 learns): their old
/// links open as the story's first steps, which is what they recorded.
const EXTENDED: &[&str] = &["acceptor-fails"];

/// The fixtures of stories that did not change.
fn p1_links() -> Vec<(String, usize, String, String)> {
    let skip = |name: &str| CHANGED.contains(&name) || REWRITTEN.contains(&name) || EXTENDED.contains(&name);
    all_p1_links().into_iter().filter(|l| !skip(&l.0)).collect()
}

fn all_p1_links() -> Vec<(String, usize, String, String)> {
    include_str!("golden/p1-links.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string(), f[3].to_string())
        })
        .collect()
}

#[test]
fn links_from_the_p1_encoder_still_open_as_they_were() {
    let all = all_p1_links();
    assert_eq!(all.len(), 34, "every story of commit 4fe8b8c at three steps, and the issue's link");
    for (name, step, _, link) in all.iter().filter(|l| CHANGED.contains(&l.0.as_str()) || REWRITTEN.contains(&l.0.as_str())) {
        let err = share::decode(link).map(|s| s.hash()).expect_err(&format!("{name} at {step}: an old link of a changed story opens"));
        assert!(err.to_string().contains("link"), "{name} at {step}: {err}");
    }
    for (name, step, hash, link) in all.iter().filter(|l| EXTENDED.contains(&l.0.as_str())) {
        let s = share::decode(link).unwrap_or_else(|e| panic!("{name} at {step}: {e}"));
        assert_eq!(&paxoscope::sim::hash::hex(s.hash()), hash, "{name} at {step}: the recorded run");
        let story = scenario::load(name).unwrap();
        let n = s.all_actions().len();
        assert_eq!(s.all_actions(), &story.all_actions()[..n], "{name}: the story's first steps");
        let mut end = s;
        end.seek(n).unwrap();
        assert_eq!(end.trace().captions, story.trace().captions[..n], "{name}: today's captions");
    }
    let links = p1_links();
    assert_eq!(links.len(), 22);
    for (name, step, hash, link) in links {
        let s = share::decode(&link).unwrap_or_else(|e| panic!("{name} at {step}: {e}"));
        assert_eq!(paxoscope::sim::hash::hex(s.hash()), hash);
        assert_eq!(everything(&s), everything(&story_at(&name, step)), "{name} at step {step}");
    }
}

/// Without a check, a p1 link is covered by its state hash, by the story it names (which
/// must exist and run on the link's cluster) and, after the shared step, by the story's own
/// steps. The example: proposer-fails-during-accept at step 8, where 1,507 changes
/// used to open as something else.
#[test]
fn every_changed_character_of_a_p1_story_link_is_refused_or_changes_nothing() {
    let mut opened = 0;
    for (name, step, _, link) in p1_links() {
        let want = everything(&story_at(&name, step));
        opened += change_every_character(&link, 3, &want);
    }
    // Only spellings of the same bytes remain (none: base64 and varints must be canonical).
    assert_eq!(opened, 0);
}

#[test]
fn every_changed_byte_of_a_story_trace_is_refused() {
    let (mut tried, mut opened) = (0, 0);
    for info in SCENARIOS {
        // The whole story, or its first 40 steps (lossy-network's 250 alone would take ~20 s).
        let s = story_at(info.name, scenario::load(info.name).unwrap().trace_len().min(40));
        let text = s.trace().to_text();
        let want = everything(&Session::from_trace(&Trace::parse(&text).unwrap()).unwrap());
        assert_eq!(want.1, text, "{}: a trace reopens as itself", info.name);
        let mut b = text.clone().into_bytes();
        for i in 0..b.len() {
            let orig = b[i];
            // Two different bits of every byte.
            for bit in [i % 8, (i + 3) % 8] {
                b[i] = orig ^ (1 << bit);
                tried += 1;
                let Ok(changed) = std::str::from_utf8(&b) else { continue };
                if let Ok(s) = Trace::parse(changed).and_then(|t| Session::from_trace(&t)) {
                    // Only a change that alters nothing shown: spacing, or the words of a
                    // caption or log line (rebuilt from the actions, never read).
                    assert_eq!(everything(&s), want, "byte {i} of {}: {orig:?} -> {:?} opened as something else", info.name, b[i] as char);
                    opened += 1;
                }
            }
            b[i] = orig;
        }
    }
    assert!(tried > 50_000, "{tried} traces tried");
    println!("{tried} changed traces: {opened} opened as the original (spacing, caption or log words), the rest refused");
}
