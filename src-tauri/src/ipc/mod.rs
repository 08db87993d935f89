//! The IPC contract between the window and the Rust side, generated from the commands themselves.
//!
//! A command is declared once, with `#[ipc::command]` on its function (see the
//! `agencydesk-ipc-macros` crate), and listed once, in `commands/list.rs`. From those two:
//! - [`crate::commands::handler`] registers every command with Tauri,
//! - `build.rs` reads the same list for the `allow-<command>` permissions,
//! - `commands::contract` describes every command (argument names as the UI sends them, TypeScript types,
//!   result), the events the window listens to and the error payload, and
//!   [`typescript::write_bindings`] turns it into `ui/src/lib/bindings/commands.ts` plus one
//!   ts-rs export of every type it reaches (`tests/bindings.rs` runs it; `make test` fails when
//!   the committed files drift).
//!
//! Every command also gets a tracing span that records its name and its `*_id` arguments only:
//! never a key, a pasted secret or a transcript.

mod answers;
mod types;
pub mod typescript;

use std::any::TypeId;

use agencydesk_core::error::{Code, ErrorPayload};
use ts_rs::{Config, TS};

pub use agencydesk_ipc_macros::command;
pub use answers::answered;
pub use types::TypeSet;

/// What `#[ipc::command]` says about one command.
pub trait Command {
    /// The name the UI invokes.
    const NAME: &'static str;
    /// The arguments the UI sends, in declaration order.
    fn args(cfg: &Config) -> Vec<Arg>;
    /// The TypeScript type the command resolves to (`void` for `()`).
    fn result(cfg: &Config) -> String;
    /// Adds every type of the arguments and the result, for imports and the export.
    fn visit_types(types: &mut TypeSet);
}

/// One argument of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// As the UI sends it: Tauri reads command arguments in camelCase.
    pub name: String,
    pub ts_type: String,
}

impl Arg {
    pub fn new(rust_name: &str, ts_type: String) -> Self {
        Self {
            name: camel_case(rust_name),
            ts_type,
        }
    }
}

/// The TypeScript type of a command's result: `()` resolves to nothing the UI reads.
pub fn result_name<T: TS + 'static + ?Sized>(cfg: &Config) -> String {
    if TypeId::of::<T>() == TypeId::of::<()>() {
        "void".to_owned()
    } else {
        T::name(cfg)
    }
}

/// `base_url` -> `baseUrl`, as Tauri's default `rename_all = "camelCase"` does for arguments.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// One command in the contract.
#[derive(Debug, Clone)]
pub struct CommandSpec {
    pub name: &'static str,
    pub args: Vec<Arg>,
    pub result: String,
}

/// One event the back end emits to the window.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub name: &'static str,
    pub payload: String,
}

/// Everything the window and the Rust side agree on.
pub struct Contract {
    /// TypeScript names with 64-bit integers as `number`: serde_json sends them as JSON numbers.
    cfg: Config,
    pub commands: Vec<CommandSpec>,
    pub events: Vec<EventSpec>,
    pub types: TypeSet,
}

impl Default for Contract {
    fn default() -> Self {
        Self::new()
    }
}

impl Contract {
    /// An empty contract that already knows what a failed command rejects with.
    pub fn new() -> Self {
        let mut contract = Self {
            cfg: Config::new().with_large_int("number"),
            commands: Vec::new(),
            events: Vec::new(),
            types: TypeSet::default(),
        };
        contract.types.add::<ErrorPayload>();
        contract.types.add::<Code>();
        contract
    }

    /// Commands and events sorted by name, so the generated files are stable.
    pub fn sorted(mut self) -> Self {
        self.commands.sort_by_key(|c| c.name);
        self.events.sort_by_key(|e| e.name);
        self
    }

    /// Adds a command declared with `#[ipc::command]`.
    pub fn command<C: Command>(&mut self) {
        self.commands.push(CommandSpec {
            name: C::NAME,
            args: C::args(&self.cfg),
            result: C::result(&self.cfg),
        });
        C::visit_types(&mut self.types);
    }

    /// Adds an event the back end emits to the window, with its payload type.
    pub fn event<T: TS + 'static>(&mut self, name: &'static str) {
        self.events.push(EventSpec {
            name,
            payload: T::name(&self.cfg),
        });
        self.types.add::<T>();
    }
}

/// Declares the command list (in `commands/list.rs`, which `build.rs` also reads): generates the
/// Tauri handler, the list of names and the contract's command part, so the three cannot differ.
macro_rules! command_list {
    (
        commands: [$($module:ident :: $command:ident),* $(,)?] $(,)?
    ) => {
        /// Every command's name, as registered with Tauri.
        pub const NAMES: &[&str] = &[$(stringify!($command),)*];

        /// The handler for every command, for the builder in `app.rs`.
        pub fn handler<R: ::tauri::Runtime>(
        ) -> impl Fn(::tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            ::tauri::generate_handler![$($module::$command,)*]
        }

        /// Adds every command to the IPC contract.
        pub fn declare(contract: &mut $crate::ipc::Contract) {
            $(contract.command::<$module::$command>();)*
        }
    };
}
pub(crate) use command_list;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_names_are_camel_cased_like_tauri() {
        assert_eq!(camel_case("base_url"), "baseUrl");
        assert_eq!(camel_case("old_key_id"), "oldKeyId");
        assert_eq!(camel_case("key"), "key");
        assert_eq!(camel_case("ttl_secs2"), "ttlSecs2");
    }
}
