//! What a call's `endedReason` means, in words an agency owner understands, and the customer's
//! number as the detail shows it before the owner asks to see it.

/// `endedReason` in a sentence. Reasons Vapi adds later still read as words.
pub fn ended_reason_text(reason: &str) -> String {
    let known = match reason {
        "customer-ended-call" => Some("The customer hung up."),
        "assistant-ended-call" => Some("The assistant ended the call."),
        "assistant-said-end-call-phrase" => {
            Some("The assistant said its goodbye phrase and hung up.")
        }
        "assistant-forwarded-call" => Some("The assistant transferred the call to a person."),
        "assistant-ended-call-after-message-spoken" => {
            Some("The assistant ended the call after its last message.")
        }
        "silence-timed-out" => Some("Nobody spoke for too long, so the call was ended."),
        "voicemail" => Some("The call reached voicemail."),
        "customer-did-not-answer" => Some("The customer did not answer."),
        "customer-busy" => Some("The customer's line was busy."),
        "exceeded-max-duration" => Some("The call reached its maximum length and was cut off."),
        "manually-canceled" => Some("The call was cancelled by hand."),
        "phone-call-provider-closed-websocket" => Some("The phone provider dropped the call."),
        "twilio-failed-to-connect-call" => Some("Twilio could not connect the call."),
        "vonage-failed-to-connect-call" => Some("Vonage could not connect the call."),
        "customer-ended-call-before-warm-transfer" => {
            Some("The customer hung up before the transfer finished.")
        }
        _ => None,
    };
    if let Some(text) = known {
        return text.to_owned();
    }
    let words = |s: &str| s.replace(['-', '.', '_'], " ").trim().to_owned();
    if let Some(rest) = reason.strip_prefix("pipeline-error-") {
        return format!("A provider failed during the call ({}).", words(rest));
    }
    if let Some(rest) = reason
        .strip_prefix("call.start.error-")
        .or_else(|| reason.strip_prefix("call-start-error-"))
    {
        return format!("The call could not start ({}).", words(rest));
    }
    if let Some(rest) = reason.strip_prefix("call.in-progress.error-") {
        return format!("The call failed while in progress ({}).", words(rest));
    }
    let text = words(reason);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => "No reason given.".to_owned(),
    }
}

/// A phone number with all but its last 4 digits hidden ("••• 4567"); a number of 4 digits or
/// fewer is hidden whole. The length is not kept, so the mask tells nothing of the country.
pub fn mask_number(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() <= 4 {
        return "••••".to_owned();
    }
    let last: String = digits[digits.len() - 4..].iter().collect();
    format!("••• {last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_sentences() {
        assert_eq!(
            ended_reason_text("customer-ended-call"),
            "The customer hung up."
        );
        assert_eq!(
            ended_reason_text("pipeline-error-openai-llm-failed"),
            "A provider failed during the call (openai llm failed)."
        );
        assert_eq!(
            ended_reason_text("call.start.error-get-transport"),
            "The call could not start (get transport)."
        );
        assert_eq!(ended_reason_text("brand-new-reason"), "Brand new reason.");
        assert_eq!(ended_reason_text(""), "No reason given.");
    }

    #[test]
    fn numbers_keep_only_their_last_four_digits() {
        assert_eq!(mask_number("+1 (555) 123-4567"), "••• 4567");
        assert_eq!(mask_number("+447700900123"), "••• 0123");
        assert_eq!(mask_number("1234"), "••••");
        assert_eq!(mask_number("sip:alice@example.com"), "••••");
    }
}
