//! Ballots (proposal numbers) and values.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use crate::protocol::NodeId;

/// A proposal number: a round and the proposer's id, ordered by round then node, so ballots
/// of different proposers never tie. Written `round.node`: `42.1` is round 42 of node 1.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Ballot {
    pub round: u32,
    pub node: NodeId,
}

impl Ballot {
    pub const fn new(round: u32, node: NodeId) -> Ballot {
        Ballot { round, node }
    }
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.round, self.node)
    }
}

impl std::str::FromStr for Ballot {
    type Err = String;
    fn from_str(s: &str) -> Result<Ballot, String> {
        let (r, n) = s.split_once('.').ok_or_else(|| format!("ballot \"{s}\" is not written round.node, like 42.1"))?;
        let round = r.parse().map_err(|_| format!("ballot \"{s}\": round \"{r}\" is not a number"))?;
        let node = n.parse().map_err(|_| format!("ballot \"{s}\": node \"{n}\" is not a number"))?;
        Ok(Ballot { round, node })
    }
}

/// The proposal values, in the order proposers take them: node `n` proposes
/// `VALUES[(n - 1) % 9]` first. The explorer's client proposals, the stories, the CLI and the
/// page (through the vocabulary) all use this one list. Do not reorder: the bug stories are
/// embedded links checked equal to what the explorer finds with these values.
pub const VALUES: [&str; 9] = ["Green", "Blue", "Red", "Amber", "Violet", "Teal", "Pink", "Olive", "Grey"];

/// The longest value, in bytes of UTF-8.
pub const MAX_VALUE_LEN: usize = 23;

/// A proposed value: a short piece of text (`Green`), stored inline so that nodes and
/// messages stay `Copy` and cheap to hash in the explorer.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Value {
    len: u8,
    bytes: [u8; MAX_VALUE_LEN],
}

impl Value {
    /// A value from text: 1 to 23 bytes, printable, no leading or trailing spaces.
    pub fn new(s: &str) -> Result<Value, String> {
        if s.is_empty() || s.trim().is_empty() {
            return Err("a value cannot be empty".into());
        }
        if s.trim() != s {
            return Err(format!("the value \"{s}\" has leading or trailing spaces"));
        }
        if s.len() > MAX_VALUE_LEN {
            return Err(format!("the value \"{s}\" is {} bytes long; at most {MAX_VALUE_LEN} are allowed", s.len()));
        }
        if s.chars().any(char::is_control) {
            return Err("the value contains a control character".to_string());
        }
        let mut bytes = [0; MAX_VALUE_LEN];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Ok(Value { len: s.len() as u8, bytes })
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from a &str, so always valid UTF-8.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

/// Only the used bytes: equal values have equal lengths and bytes, and the rest is zeros.
/// (The explorer hashes millions of states; this is one word instead of three.)
impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write(&self.bytes[..self.len as usize]);
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// A value is written as its text (`"Green"`).
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Read as text and checked as [`Value::new`] checks it.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let s = String::deserialize(d)?;
        Value::new(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballots_order_by_round_then_node() {
        assert!(Ballot::new(42, 1) < Ballot::new(42, 2));
        assert!(Ballot::new(42, 9) < Ballot::new(43, 1));
        assert_eq!(Ballot::new(42, 1).to_string(), "42.1");
        assert_eq!("41.3".parse::<Ballot>(), Ok(Ballot::new(41, 3)));
        assert!("41".parse::<Ballot>().is_err());
        assert!("x.3".parse::<Ballot>().is_err());
    }

    #[test]
    fn values_are_validated() {
        assert_eq!(Value::new("Green").unwrap().as_str(), "Green");
        assert_eq!(Value::new("Grün").unwrap().to_string(), "Grün");
        assert!(Value::new("").is_err());
        assert!(Value::new(" Green").is_err());
        assert!(Value::new("a\nb").is_err());
        assert!(Value::new(&"x".repeat(24)).unwrap_err().contains("at most 23"));
        assert!(Value::new(&"x".repeat(23)).is_ok());
    }
}
