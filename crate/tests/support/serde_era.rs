//! Comparing with the serde-era golden files (`tests/golden/serde-era-*.json`): field for
//! field, but for what was added or changed since, listed once here for the native and the
//! wasm tests.

use serde_json::Value;

/// Fields added or changed since the serde era: a timer's `since`; a proposer's `quorum`, and
/// its `promises` past phase 1 (once 0, now the quorum it went on with); the snapshot's
/// `branch` and `next_caption`; the event log's `text` (rebuilt from the actions, so its
/// wording may improve); a node's `rows`, `slots` and `status` (the protocol-neutral view)
/// and `blocked` (the commit protocols).
pub const CHANGED_SINCE: [&str; 10] = ["since", "quorum", "promises", "text", "branch", "next_caption", "rows", "slots", "status", "blocked"];

/// `j` without the fields of [`CHANGED_SINCE`], at any depth.
pub fn without_changes(j: Value) -> Value {
    match j {
        Value::Object(fields) => Value::Object(
            fields.into_iter().filter(|(k, _)| !CHANGED_SINCE.contains(&k.as_str())).map(|(k, v)| (k, without_changes(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_changes).collect()),
        other => other,
    }
}
