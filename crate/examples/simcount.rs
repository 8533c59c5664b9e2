//! A fixed amount of the benchmark workload (no clock), for counting instructions:
//! `valgrind --tool=callgrind target/release/examples/simcount [paxos-runs] [multi-runs]`.
//! Prints the steps and deliveries done, so a change that alters a run shows here too.

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>().expect("a number of runs"));
    let (paxos, multi) = (args.next().unwrap_or(2000), args.next().unwrap_or(5));
    let (mut steps, mut delivered) = (0, 0);
    for seed in 1..=paxos {
        let (s, d) = paxoscope::sim::workload::random_run(seed, 20_000);
        steps += s;
        delivered += d;
    }
    println!("paxos: {paxos} runs, {steps} steps, {delivered} deliveries");
    let (mut steps, mut delivered) = (0, 0);
    for seed in 1..=multi {
        let (s, d) = paxoscope::sim::workload::random_multi_run(seed, 20_000);
        steps += s;
        delivered += d;
    }
    println!("multi-paxos: {multi} runs, {steps} steps, {delivered} deliveries");
}
