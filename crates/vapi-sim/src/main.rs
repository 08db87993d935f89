//! `vapi-sim`: serve a seeded Vapi-compatible world until killed.
//! Prints exactly one JSON line (the manifest) on stdout, then logs to stderr.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::Parser;
use vapi_sim::{Faults, Sim, SimConfig};

/// A local Vapi-compatible HTTP simulator (orgs, tokens, assistants, calls,
/// /call/web restrictions, CORS, injected faults).
///
/// On start it prints one JSON line on stdout, the manifest:
/// {"url", "agency": {id, name, privateKey}, "orgs": [{id, name, privateKey,
/// publicKeys: [{id, value, name}], assistants: [{id, name}]}]}.
/// Logs go to stderr (RUST_LOG controls the level).
#[derive(Debug, Parser)]
#[command(name = "vapi-sim", version)]
struct Args {
    /// Seed of the generated world: same seed and anchor, same world.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Number of client orgs (the agency's own org comes on top).
    #[arg(long, default_value_t = 4)]
    orgs: usize,
    /// Days of call history before the anchor.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Mean calls per day per client org (weekdays busier than weekends).
    #[arg(long, default_value_t = 20)]
    calls_per_day: u32,
    /// End of the generated history, ISO 8601 (e.g. 2026-10-03T12:00:00Z).
    /// Default: now.
    #[arg(long, value_parser = parse_anchor)]
    anchor: Option<DateTime<Utc>>,
    /// Port to listen on; 0 picks a free one (see "url" in the manifest).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind. Default 127.0.0.1. Any other address, even a
    /// non-loopback one, must be given explicitly here.
    #[arg(long)]
    host: Option<IpAddr>,
    /// Share (0-1) of requests answered with 500, 502 or 503.
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// Requests per second allowed per key; the excess gets 429 + Retry-After.
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Share (0-1) of requests answered slowly.
    #[arg(long, default_value_t = 0.0)]
    slow_rate: f64,
    /// Delay of a slow answer, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    slow_ms: u64,
    /// Share (0-1) of successful answers whose JSON body is cut short.
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Seed of the fault dice.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Seconds the simulator's clock runs ahead of this machine's (negative: behind): its
    /// `Date` header, timestamps and JWT checks follow it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    clock_skew_secs: i64,
    /// Vapi's call retention (the subscription's `callRetentionDays`): calls created more than
    /// N days ago are no longer listed or fetchable. Default: kept for ever.
    #[arg(long)]
    retention_days: Option<u32>,
    /// Settle pending call costs every N seconds (cost, costBreakdown and
    /// updatedAt change). 0 = never.
    #[arg(long, default_value_t = 120)]
    settle_every_secs: u64,
}

fn parse_anchor(s: &str) -> Result<DateTime<Utc>, String> {
    vapi_sim::time::parse_iso(s).ok_or_else(|| format!("not an ISO 8601 date-time: {s}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let host = args.host.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !host.is_loopback() {
        tracing::warn!(%host, "binding a non-loopback address as asked by --host");
    }
    let config = SimConfig {
        seed: args.seed,
        orgs: args.orgs,
        days: args.days,
        calls_per_day: args.calls_per_day,
        anchor: args.anchor,
        faults: Faults {
            fail_rate: args.fail_rate,
            rate_limit: args.rate_limit,
            slow_rate: args.slow_rate,
            slow_ms: args.slow_ms,
            truncate_rate: args.truncate_rate,
            seed: args.fault_seed,
            clock_skew_secs: args.clock_skew_secs,
        },
        retention_days: args.retention_days,
    };
    let sim = match Sim::start(config, SocketAddr::new(host, args.port)).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("vapi-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let line = match serde_json::to_string(&sim.manifest()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("vapi-sim: cannot serialize the manifest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
        eprintln!("vapi-sim: cannot write the manifest to stdout");
        return ExitCode::FAILURE;
    }
    drop(out);
    let handle = sim.handle();
    tracing::info!(url = %sim.url(), calls = handle.total_calls(), "serving");
    if args.settle_every_secs > 0 {
        let every = Duration::from_secs(args.settle_every_secs);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let n = handle.settle_pending_costs();
                if n > 0 {
                    tracing::info!(calls = n, "settled pending call costs");
                }
            }
        });
    }
    match sim.wait().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vapi-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
