//! TODO: filled by the foundation work.
