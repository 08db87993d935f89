//! A local Vapi-compatible simulator. TODO
