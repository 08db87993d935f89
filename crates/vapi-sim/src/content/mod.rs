//! Generated content: business names, conversation scripts, transcripts and
//! costs. Everything is a pure function of a seed.

pub mod audio;
pub mod businesses;
pub mod call_logs;
pub mod costs;
pub mod personas;
pub mod transcript;
