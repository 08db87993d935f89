//! `analysis.successEvaluation` as a verdict. Vapi writes what the assistant's rubric produces:
//! a boolean or "true"/"false" (PassFail, the default), a number ("8" on NumericScale, "85" on
//! PercentageScale) or a word ("Good" on DescriptiveScale, "Agree" on LikertScale, ...).
//!
//! Only pass/fail answers are verdicts. A score has no pass mark the agency and its client agreed
//! on, so it is never turned into one here: such calls count as not evaluated (the report's
//! success rate is over the calls with a verdict, and says how many those are).

use serde_json::Value;

/// The verdict of an evaluation written as text; `None` for a score or anything else.
pub fn verdict(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "pass" | "passed" | "yes" | "success" | "successful" => Some(true),
        "false" | "fail" | "failed" | "no" | "failure" | "unsuccessful" => Some(false),
        _ => None,
    }
}

/// The verdict of the value of `successEvaluation`, whatever its JSON type.
pub fn verdict_of(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => verdict(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pass_fail_answers_are_verdicts_and_scores_are_not() {
        assert_eq!(verdict_of(&json!(true)), Some(true));
        assert_eq!(verdict_of(&json!(false)), Some(false));
        assert_eq!(verdict_of(&json!(" True ")), Some(true));
        assert_eq!(verdict_of(&json!("Pass")), Some(true));
        assert_eq!(verdict_of(&json!("fail")), Some(false));
        for score in [
            json!("8"),
            json!(8),
            json!("85"),
            json!("Good"),
            json!(null),
            json!({}),
        ] {
            assert_eq!(verdict_of(&score), None, "{score}");
        }
    }
}
