//! Quorum logic: small, pure, and tested against a table.

use crate::protocol::NodeSet;

/// A strict majority of `acceptors`: more than half.
pub const fn majority(acceptors: usize) -> usize {
    acceptors / 2 + 1
}

/// Whether the votes of `votes` that come from `acceptors` number at least `size`.
pub const fn is_quorum(votes: NodeSet, acceptors: NodeSet, size: usize) -> bool {
    (votes & acceptors).count_ones() as usize >= size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::bit;

    #[test]
    fn majority_table() {
        // acceptors -> majority
        let table = [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (7, 4), (8, 5), (9, 5)];
        for (n, m) in table {
            assert_eq!(majority(n), m, "majority of {n}");
            // Any two majorities intersect: the heart of Paxos's safety.
            assert!(2 * m > n);
        }
    }

    #[test]
    fn quorum_counts_only_acceptors() {
        let acceptors = bit(1) | bit(2) | bit(3);
        // (votes, size, expected)
        let table = [
            (0, 2, false),
            (bit(1), 2, false),
            (bit(1) | bit(3), 2, true),
            (bit(1) | bit(4), 2, false), // node 4 is no acceptor
            (bit(1) | bit(2) | bit(3), 2, true),
            (bit(2), 1, true),
        ];
        for (votes, size, want) in table {
            assert_eq!(is_quorum(votes, acceptors, size), want, "votes {votes:#b} size {size}");
        }
    }
}
