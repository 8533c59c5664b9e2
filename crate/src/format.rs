//! Reading and writing the formats: every format is defined once, by serde's derives on its
//! types (traces, configurations, policies, actions, snapshots, frames), with unknown fields
//! refused (`deny_unknown_fields`), numbers whole and in their type's range, duplicate fields
//! refused (serde_json) and the ranges that matter checked by a validate step
//! ([`crate::sim::ClusterConfig::paxos`], [`crate::sim::Policy::validate`]). Files are
//! serde_json; the wasm boundary is serde-wasm-bindgen (`crate::wasm`).
//!
//! Every reading error names the place, as `serde_path_to_error` finds it, after the name of
//! what was read: `config.policy.loss_ppm: invalid type: …` (and for text, serde_json's line
//! and column). Nothing we read nests deeper than five levels, and the derived readers never
//! descend into a value of the wrong shape, so no input can exhaust the stack (serde_json's
//! own recursion limit, 128, stands behind that).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// `what` followed by the path `serde_path_to_error` found (`config` + `policy.loss_ppm`).
pub fn place(what: &str, path: &serde_path_to_error::Path) -> String {
    match path.iter().next() {
        None => what.to_string(),
        Some(serde_path_to_error::Segment::Seq { .. }) => format!("{what}{path}"),
        Some(_) => format!("{what}.{path}"),
    }
}

/// A path-naming error as text: `config.nodes: invalid type: …`.
pub fn error_text<E: std::fmt::Display>(what: &str, e: serde_path_to_error::Error<E>) -> String {
    format!("{}: {}", place(what, e.path()), e.inner())
}

/// Read `T` from JSON text strictly; `what` names the whole (`trace`, `config`). The error
/// names the place, with line and column.
pub fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // A syntax error has no useful path: say it is not JSON, and where.
        if e.inner().is_syntax() || e.inner().is_eof() {
            format!("not valid JSON: {}", e.inner())
        } else {
            error_text(what, e)
        }
    })?;
    de.end().map_err(|e| format!("not valid JSON: {e}"))?;
    Ok(v)
}

/// JSON text for people: serde_json's pretty form (two spaces, one field or element a line).
pub fn to_json_pretty<T: Serialize>(v: &T) -> String {
    let mut text = serde_json::to_string_pretty(v).expect("our types always serialize");
    text.push('\n');
    text
}

/// Compact JSON text.
pub fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("our types always serialize")
}

/// Reading back the names the core writes as `&'static str` in snapshots (message kinds,
/// statuses, timers, phases, roles, fates, properties): the text must be one of the core's
/// own names (`#[serde(deserialize_with = "crate::format::names::kind")]`).
pub mod names {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    use crate::check::invariants::Property;
    use crate::protocols::{all_names, ProtocolKind};
    use crate::sim::journal::FATES;
    use crate::sim::session::STATUSES;

    fn one_of<E: Error>(s: &str, names: &'static [&'static str]) -> Result<&'static str, E> {
        names.iter().copied().find(|n| *n == s).ok_or_else(|| E::unknown_variant(s, names))
    }

    /// One of any registered protocol's names (message kinds, timers, phases, roles).
    fn any_of<E: Error>(s: &str, list: fn(ProtocolKind) -> &'static [&'static str], what: &str) -> Result<&'static str, E> {
        all_names(list).find(|n| *n == s).ok_or_else(|| {
            let known: Vec<&str> = all_names(list).collect();
            E::custom(format!("unknown {what} \"{s}\", expected one of {}", known.join(", ")))
        })
    }

    macro_rules! readers {
        ($($name:ident: $list:expr),*) => {$(
            pub fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
                one_of(&String::deserialize(d)?, &$list)
            }
        )*};
    }

    readers!(status: STATUSES, fate: FATES, property: Property::NAMES);

    pub fn kind<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        any_of(&String::deserialize(d)?, ProtocolKind::kinds, "message kind")
    }
    pub fn timer<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        any_of(&String::deserialize(d)?, ProtocolKind::timers, "timer")
    }
    pub fn phase<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        any_of(&String::deserialize(d)?, ProtocolKind::phases, "phase")
    }
    /// A property's title: single-decree or per-slot wording.
    pub fn title<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        let s = String::deserialize(d)?;
        Property::TITLES.iter().chain(&Property::LOG_TITLES).copied().find(|n| *n == s).ok_or_else(|| D::Error::unknown_variant(&s, &Property::TITLES))
    }

    pub fn roles<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
        Vec::<String>::deserialize(d)?.iter().map(|r| any_of(r, ProtocolKind::roles, "role")).collect()
    }
}
