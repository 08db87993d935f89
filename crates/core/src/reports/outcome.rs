//! How a call ended, in the client's words: Vapi's `endedReason` values grouped into a few
//! outcomes. Unknown reasons (Vapi adds new ones) fall in `Other`, never fail the report.

/// Ordered as the report lists ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The caller or the assistant ended a call that ran normally.
    Completed,
    /// Handed to a person or another number.
    Transferred,
    Voicemail,
    /// Busy, no answer, rejected: the call never started.
    NotAnswered,
    /// Silence or the maximum duration ended it.
    TimedOut,
    /// An error on Vapi's side or a provider's.
    Failed,
    Other,
}

impl Outcome {
    pub fn of(reason: Option<&str>) -> Self {
        let Some(reason) = reason.map(str::to_ascii_lowercase) else {
            return Self::Other;
        };
        let has = |part: &str| reason.contains(part);
        if has("error") || has("failed") || has("fault") || has("unavailable") {
            Self::Failed
        } else if has("voicemail") {
            Self::Voicemail
        } else if has("forward") || has("transfer") {
            Self::Transferred
        } else if has("busy") || has("did-not-answer") || has("no-answer") || has("rejected") {
            Self::NotAnswered
        } else if has("silence") || has("max-duration") || has("timed-out") || has("timeout") {
            Self::TimedOut
        } else if has("ended-call") || has("end-call-phrase") || has("hangup") || has("completed") {
            Self::Completed
        } else {
            Self::Other
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Completed => "Completed",
            Self::Transferred => "Transferred",
            Self::Voicemail => "Voicemail",
            Self::NotAnswered => "Not answered",
            Self::TimedOut => "Timed out",
            Self::Failed => "Failed",
            Self::Other => "Other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vapi_reasons_fall_into_outcomes() {
        assert_eq!(Outcome::of(Some("customer-ended-call")), Outcome::Completed);
        assert_eq!(
            Outcome::of(Some("assistant-said-end-call-phrase")),
            Outcome::Completed
        );
        assert_eq!(
            Outcome::of(Some("assistant-forwarded-call")),
            Outcome::Transferred
        );
        assert_eq!(Outcome::of(Some("voicemail")), Outcome::Voicemail);
        assert_eq!(Outcome::of(Some("customer-busy")), Outcome::NotAnswered);
        assert_eq!(
            Outcome::of(Some("customer-did-not-answer")),
            Outcome::NotAnswered
        );
        assert_eq!(Outcome::of(Some("silence-timed-out")), Outcome::TimedOut);
        assert_eq!(
            Outcome::of(Some("exceeded-max-duration")),
            Outcome::TimedOut
        );
        assert_eq!(
            Outcome::of(Some("pipeline-error-openai-llm-failed")),
            Outcome::Failed
        );
        assert_eq!(Outcome::of(Some("something-new")), Outcome::Other);
        assert_eq!(Outcome::of(None), Outcome::Other);
    }
}
