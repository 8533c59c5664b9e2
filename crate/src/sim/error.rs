//! Errors for configuration and user input. Protocol input never fails.

use crate::protocol::NodeId;
use std::fmt;

/// Why the simulator refused an action or a configuration. The simulation is unchanged.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SimError {
    UnknownMessage(u32),
    UnknownNode { node: NodeId, nodes: usize },
    NodeDown { node: NodeId, what: String },
    LinkCut(NodeId, NodeId),
    Invalid(String),
    BadConfig(String),
    BadTrace(String),
    NothingToDo,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::UnknownMessage(id) => write!(f, "there is no message {id} in flight"),
            SimError::UnknownNode { node, nodes } => write!(f, "there is no node {node}: the cluster has nodes 1 to {nodes}"),
            SimError::NodeDown { node, what } => write!(f, "node {node} is down, so it cannot {what}; restart it first"),
            SimError::LinkCut(a, b) => write!(f, "the link between nodes {a} and {b} is cut; heal it first or drop the message"),
            SimError::Invalid(m) => f.write_str(m),
            SimError::BadConfig(m) => write!(f, "invalid configuration: {m}"),
            SimError::BadTrace(m) => write!(f, "invalid trace: {m}"),
            SimError::NothingToDo => f.write_str("nothing to do: no message is in flight and no timer is running"),
        }
    }
}

impl std::error::Error for SimError {}
