//! The command line ends quietly when its reader goes away (`paxoscope run | head -1`):
//! no panic, no "Broken pipe" on standard error, and the exit code the command would have
//! had anyway.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn paxoscope(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_paxoscope"));
    c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).stdin(Stdio::null());
    c
}

/// Run `args`, read `lines` lines of its output (0: none), then close the pipe; returns the
/// exit code and standard error.
fn cut_short(args: &[&str], lines: usize) -> (Option<i32>, String) {
    let mut child = paxoscope(args).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "{args:?} printed fewer than {lines} lines");
    }
    drop(out);
    let done = child.wait_with_output().unwrap();
    (done.status.code(), String::from_utf8_lossy(&done.stderr).into_owned())
}

#[test]
fn a_closed_output_ends_every_command_quietly() {
    let trace = std::env::temp_dir().join(format!("paxoscope-cli-test-{}.json", std::process::id()));
    let path = trace.to_str().unwrap();
    let (code, err) = cut_short(&["run", "--scenario", "lossy-network", "--quiet", "--export", path], 0);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    // 20,000 steps print ~2 MB: far more than a pipe holds, so the writes after the first
    // line meet a closed pipe.
    let cases: &[(&[&str], usize, i32)] = &[
        (&["run", "--steps", "20000"], 1, 0),
        (&["run", "--scenario", "lossy-network"], 1, 0),
        (&["replay", path], 1, 0),
        (&["scenarios"], 0, 0),
        (&["help"], 0, 0),
        // The usual code for a counterexample, though nobody reads it.
        (&["check", "--nodes", "3", "--proposers", "2", "--max-round", "1", "--bug", "minority-quorum"], 1, 1),
    ];
    for &(args, lines, want) in cases {
        let (code, err) = cut_short(args, lines);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
        assert_eq!(code, Some(want), "{args:?}");
    }
    let _ = std::fs::remove_file(&trace);
}

#[test]
fn errors_still_go_to_standard_error() {
    let done = paxoscope(&["replay", "/nonexistent/trace.json"]).output().unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).starts_with("paxoscope: cannot read /nonexistent/trace.json"));
    let done = paxoscope(&["run", "--steps", "5"]).output().unwrap();
    assert_eq!(done.status.code(), Some(0));
    let out = String::from_utf8_lossy(&done.stdout);
    assert_eq!(out.lines().count(), 7, "a proposal, 5 steps and the summary:\n{out}");
    assert!(out.lines().last().unwrap().starts_with("chosen="));
}

#[test]
fn check_takes_partitions() {
    let done = paxoscope(&["check", "--nodes", "3", "--proposers", "1", "--max-round", "1", "--partitions", "1"]).output().unwrap();
    let out = String::from_utf8_lossy(&done.stdout);
    assert_eq!(done.status.code(), Some(0), "{out}");
    assert!(out.lines().next().unwrap().contains(", 1 partition(s)"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("states="), "{out}");
    assert!(out.lines().last().unwrap().ends_with(" violations=0"), "{out}");
    // A bug is still found with the network allowed to split.
    let done = paxoscope(&["check", "--nodes", "3", "--proposers", "2", "--max-round", "1", "--partitions", "1", "--bug", "minority-quorum"]).output().unwrap();
    assert_eq!(done.status.code(), Some(1));
}

#[test]
fn check_reports_blocking_before_the_last_line() {
    // One proposer cut off by a partition: nobody can ever learn.
    let done = paxoscope(&["check", "--nodes", "3", "--proposers", "1", "--max-round", "1", "--partitions", "1", "--blocking"]).output().unwrap();
    let out = String::from_utf8_lossy(&done.stdout);
    assert_eq!(done.status.code(), Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("blocked: ")).unwrap_or_else(|| panic!("no blocking line:\n{out}"));
    assert!(lines[at].contains(" states leave an up node blocked forever ("), "{out}");
    assert!(lines[at].ends_with("; shortest: 1 move"), "{out}");
    assert!(lines[at + 1].starts_with("shortest path to a blocked state"), "{out}");
    assert!(lines[at + 2..].iter().any(|l| l.contains("cut")), "{out}");
    assert!(lines.last().unwrap().starts_with("states="), "{out}");
}

fn output(args: &[&str]) -> (Option<i32>, String, String) {
    let done = paxoscope(args).output().unwrap();
    (done.status.code(), String::from_utf8_lossy(&done.stdout).into_owned(), String::from_utf8_lossy(&done.stderr).into_owned())
}

/// `--max-memory` stops a search cleanly: exit 2, no proof claimed, the last line still the
/// state count; `--threads`, `--strategy` and the engine line.
#[test]
fn check_stops_cleanly_at_its_memory_limit_and_names_its_engine() {
    let base = ["check", "--nodes", "3", "--proposers", "2", "--max-round", "2"];
    let (code, out, err) = output(&[&base[..], &["--max-memory", "2M", "--threads", "2"]].concat());
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(out.contains("STOPPED at --max-memory: not a proof"), "{out}");
    assert!(out.contains("engine: bfs, 2 threads"), "{out}");
    assert!(out.trim_end().lines().last().unwrap().starts_with("states="), "{out}");
    assert!(!err.contains("panicked"), "{err}");
    let (code, out, _) = output(&["check", "--nodes", "3", "--proposers", "1", "--max-round", "1", "--strategy", "dfs", "--threads", "1"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("engine: dfs, 1 thread;"), "{out}");
    let (code, out, _) = output(&["check", "--nodes", "3", "--proposers", "2", "--max-round", "1", "--bug", "minority-quorum", "--strategy", "random-walk"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("counterexample (random-walk: not known to be a shortest one), 4 explored moves"), "{out}");
    for (args, want) in [
        (&["--strategy", "sideways"][..], "unknown strategy \"sideways\""),
        (&["--max-memory", "lots"], "--max-memory: \"lots\" is not a size"),
        (&["--max-memory", "0"], "--max-memory: \"0\" is not a size"),
        (&["--threads", "1000"], "--threads is at most 64"),
    ] {
        let (code, out, err) = output(&[&base[..], args].concat());
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// `check` puts interchangeable nodes in a canonical order by default and says which;
/// `--no-symmetry` counts every state, with the same verdict.
#[test]
fn check_reduces_by_symmetry_unless_told_not_to() {
    let base = ["check", "--nodes", "5", "--proposers", "2", "--max-round", "1", "--drops", "--dups", "--threads", "1"];
    let (code, out, _) = output(&base);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("symmetry: nodes 3, 4, 5 are interchangeable (acceptor-only)"), "{out}");
    assert!(out.trim_end().ends_with("states=47555 violations=0"), "{out}");
    let (code, out, _) = output(&[&base[..], &["--no-symmetry"]].concat());
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("symmetry:"), "{out}");
    assert!(out.trim_end().ends_with("states=205269 violations=0"), "{out}");
    // One acceptor-only node: nothing to reduce, no line.
    let (code, out, _) = output(&["check", "--nodes", "3", "--proposers", "2", "--max-round", "1"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("symmetry:"), "{out}");
}
