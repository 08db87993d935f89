//! Property tests ("fuzzing" without cargo-fuzz) for the origin normaliser.

use agencydesk_core::keys::{normalize_origin, Host};
use proptest::prelude::*;

/// Strings built from the pieces origins are made of, so a good share of cases get deep into the
/// parser instead of failing at the first character.
fn originish() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just(""),
        Just("https://"),
        Just("HTTP://"),
        Just("http:"),
        Just("ftp://"),
        Just("https:/"),
        Just("//"),
    ];
    let label = prop_oneof![
        "[a-zA-Z0-9-]{0,12}",
        Just("www".to_owned()),
        Just("localhost".to_owned()),
        Just("bücher".to_owned()),
        Just("xn--bcher-kva".to_owned()),
        Just("ＡＣＭＥ".to_owned()),
        "[0-9]{1,4}",
        Just("*".to_owned()),
        "\\PC{0,3}",
    ];
    let host = prop::collection::vec(label, 0..5).prop_map(|l| l.join("."));
    let bracket = prop_oneof![
        Just(String::new()),
        Just("[::1]".to_owned()),
        "\\[[0-9a-f:]{0,12}\\]"
    ];
    let port = prop_oneof![Just(String::new()), ":[0-9]{0,6}", Just(":".to_owned())];
    let tail = prop_oneof![
        Just(String::new()),
        Just("/".to_owned()),
        "/[a-z]{0,5}",
        "\\?[a-z=]{0,5}",
        "#[a-z]{0,4}",
        Just("@".to_owned()),
        Just(".".to_owned()),
    ];
    let cred = prop_oneof![Just(String::new()), Just("u:p@".to_owned())];
    (scheme, cred, bracket, host, port, tail)
        .prop_map(|(s, c, b, h, p, t)| format!("{s}{c}{b}{h}{p}{t}"))
}

fn check_output(input: &str) -> Result<(), TestCaseError> {
    let Ok(origin) = normalize_origin(input) else {
        return Ok(());
    };
    let text = origin.to_string();
    // Re-parses to itself: idempotent, and the output is accepted input.
    let again = normalize_origin(&text);
    prop_assert_eq!(again.as_ref().map(ToString::to_string), Ok(text.clone()));
    prop_assert_eq!(again.ok(), Some(origin.clone()));
    // Only scheme, host and port survive.
    let after_scheme = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    prop_assert!(after_scheme.is_some(), "scheme: {}", text);
    let rest = after_scheme.unwrap_or_default();
    prop_assert!(!rest.contains(['/', '?', '#', '@', '*', '\\']), "{}", text);
    prop_assert!(
        !text.chars().any(|c| c.is_uppercase() || c.is_whitespace()),
        "{}",
        text
    );
    prop_assert!(text.is_ascii(), "{}", text);
    prop_assert!(
        !text.ends_with(":443") || text.starts_with("http://"),
        "{}",
        text
    );
    prop_assert!(
        !text.ends_with(":80") || text.starts_with("https://"),
        "{}",
        text
    );
    if let Host::Domain(d) = origin.host() {
        prop_assert!(!d.ends_with('.') && !d.starts_with('.'), "{}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn never_panics_on_arbitrary_text(input in "\\PC{0,80}") {
        check_output(&input)?;
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        let text = String::from_utf8_lossy(&bytes);
        check_output(&text)?;
    }

    #[test]
    fn originish_inputs_normalise_idempotently(input in originish()) {
        check_output(&input)?;
    }

    #[test]
    fn valid_shapes_are_accepted(
        scheme in prop_oneof![Just("http"), Just("https"), Just("HTTPS")],
        labels in prop::collection::vec("[a-z][a-z0-9]{0,10}", 2..4),
        port in prop::option::of(1u16..),
    ) {
        let host = labels.join(".");
        let input = match port {
            Some(p) => format!("{scheme}://{host}:{p}/"),
            None => format!("{scheme}://{host}"),
        };
        let origin = normalize_origin(&input);
        prop_assert!(origin.is_ok(), "{} refused: {:?}", input, origin);
        check_output(&input)?;
    }
}
