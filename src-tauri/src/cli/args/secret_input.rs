//! Reads a private key without it ever being an argument or an echoed line.

use std::io::{IsTerminal, Read};

use agencydesk_core::sensitive::SecretKey;
use zeroize::Zeroize;

use crate::error::AppError;

/// Largest key we accept from a pipe; Vapi keys are UUIDs, so anything this long is a wrong file.
const MAX_PIPED_BYTES: u64 = 4096;

/// The key from standard input when it is piped (`pass show x | agencydesk clients link`), else
/// from a prompt on the terminal with echo off. `whose` names the org in the prompt
/// ("the client org", "your agency's own org").
pub(crate) fn read_private_key(whose: &str) -> Result<SecretKey, AppError> {
    let stdin = std::io::stdin();
    let mut text = if stdin.is_terminal() {
        rpassword::prompt_password(format!("Private API key of {whose} (input hidden): "))
            .map_err(|source| AppError::KeyInput { source })?
    } else {
        let mut buffer = String::new();
        let read = stdin
            .lock()
            .take(MAX_PIPED_BYTES + 1)
            .read_to_string(&mut buffer);
        if let Err(source) = read {
            buffer.zeroize();
            return Err(AppError::KeyInput { source });
        }
        if buffer.len() as u64 > MAX_PIPED_BYTES {
            buffer.zeroize();
            return Err(AppError::KeyTooLong);
        }
        buffer
    };
    let key = SecretKey::from_pasted(&text);
    text.zeroize();
    key.ok_or(AppError::KeyMissing)
}
