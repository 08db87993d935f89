//! Property tests of what agencydesk does with hostile input: redaction, spreadsheet cells, Vapi
//! addresses and HTML escapes. Each checks its invariant over thousands of cases, not only that
//! nothing panics. (Origins: keys_origin_props.rs; JS, JSON and comment escapes:
//! snippets_escape.rs; call pages and Retry-After: unit tests in sync/ and vapi/.)

use agencydesk_core::billing::export::sanitize;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::snippets::escape::{html_attr, html_text};
use agencydesk_core::vapi::redact::{scrub_secrets, without_key};
use agencydesk_core::vapi::{parse_trusted_host, HostKind, KeyDestination};
use proptest::prelude::*;
use serde_json::{Map, Value};

const MARKER: &str = "SECRET-7f3a9c";

/// JSON in which some fields named like credentials hold the marker, at any depth.
fn json_with_secrets() -> impl Strategy<Value = Value> {
    let secret_name = prop::sample::select(vec![
        "apiKey",
        "api_key",
        "openAIApiKey",
        "secret",
        "webhookSecret",
        "jwtSecret",
        "password",
        "authToken",
        "twilioAuthToken",
        "token",
        "credentials",
        "Authorization",
        "headers",
        "private-key",
        "CLIENT_SECRET",
    ]);
    let plain_name = "[a-z]{1,8}";
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<i32>().prop_map(Value::from),
        "[a-z ]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, move |inner| {
        let secret_name = secret_name.clone();
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            (
                prop::collection::btree_map(plain_name, inner.clone(), 0..4),
                prop::option::of((secret_name, inner)),
            )
                .prop_map(|(plain, secret)| {
                    let mut map: Map<String, Value> = plain.into_iter().collect();
                    if let Some((name, value)) = secret {
                        // The secret itself, or the value with the secret inside it.
                        let value = match value {
                            Value::Object(mut m) => {
                                m.insert("value".into(), Value::from(MARKER));
                                Value::Object(m)
                            }
                            _ => Value::from(MARKER),
                        };
                        map.insert(name.to_owned(), value);
                    }
                    Value::Object(map)
                }),
        ]
    })
}

/// The first character a spreadsheet would look at: not blank.
fn first_looked_at(cell: &str) -> Option<char> {
    cell.chars().find(|&c| {
        sanitize::is_trigger(c)
            || !(c.is_whitespace()
                || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
    })
}

fn cellish() -> impl Strategy<Value = String> {
    let start = prop_oneof![
        Just(String::new()),
        "[ \u{a0}\u{3000}\u{200b}\u{feff}\t]{0,3}",
    ];
    let trigger = prop_oneof![
        Just(String::new()),
        prop::sample::select(vec![
            "=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", "﹦"
        ])
        .prop_map(str::to_owned),
    ];
    (start, trigger, "\\PC{0,20}").prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

fn urlish() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https://",
        "http://",
        "HTTPS://",
        "ftp://",
        "",
        "//",
        "https:",
        "javascript:",
    ]);
    let user = prop::sample::select(vec!["", "user@", "a:b@", "api.vapi.ai@", ":@"]);
    let host = prop::sample::select(vec![
        "api.vapi.ai",
        "API.VAPI.AI.",
        "api.vapi.ai.evil.example",
        "other.example",
        "localhost",
        "127.0.0.1",
        "127.1",
        "0x7f.0.0.1",
        "[::1]",
        "[2001:db8::1]",
        "10.0.0.1",
        "0.0.0.0",
        "bücher.example",
        "xn--bcher-kva.example",
        "\u{430}pi.vapi.ai",
        "a..b",
        "sim.localhost",
        "",
        "ＡＰＩ.vapi.ai",
    ]);
    let port = prop::sample::select(vec!["", ":443", ":8080", ":0", ":99999", ":"]);
    let tail = prop_oneof![
        Just(String::new()),
        "/[a-z/]{0,6}",
        Just("/?x=1".to_owned()),
        Just("#f".to_owned()),
        Just("\\@api.vapi.ai".to_owned()),
        "\\PC{0,4}",
    ];
    (scheme, user, host, port, tail).prop_map(|(s, u, h, p, t)| format!("{s}{u}{h}{p}{t}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn a_secret_field_never_survives_scrubbing(mut value in json_with_secrets()) {
        scrub_secrets(&mut value);
        let text = value.to_string();
        prop_assert!(!text.contains(MARKER), "{}", text);
    }

    #[test]
    fn a_key_never_survives_in_a_message(
        key in "\\PC{4,24}",
        parts in prop::collection::vec("\\PC{0,8}", 1..5),
    ) {
        // The key between, around and inside arbitrary text.
        let text = parts.join(&key);
        let out = without_key(&text, &SecretKey::new(key.clone()));
        prop_assert!(!out.contains(&key), "{:?} -> {:?}", text, out);
        if !text.contains(&key) {
            prop_assert_eq!(out, text);
        }
    }

    #[test]
    fn no_cell_opens_a_formula_and_the_text_round_trips(cell in cellish()) {
        let safe = sanitize::text(&cell);
        // Either the spreadsheet sees an ordinary character first, or the cell is marked text.
        let first = first_looked_at(&safe);
        prop_assert!(
            safe.starts_with('\'') || !first.is_some_and(sanitize::is_trigger),
            "{:?} -> {:?}", cell, safe
        );
        // Nothing but the one mark is added.
        let original = safe.strip_prefix('\'').filter(|_| safe != cell).unwrap_or(&safe);
        prop_assert_eq!(original, cell.as_str());
        // Through the CSV writer and reader the text stays the same.
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // After a header row, as in every export (a reader drops a byte-order mark that starts
        // the file, which is not a cell's doing).
        writer.write_record(["Description", "Note"]).unwrap();
        writer.write_record([safe.as_str(), "next"]).unwrap();
        let bytes = writer.into_inner().unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        prop_assert_eq!(&record[0], safe.as_str());
        prop_assert_eq!(&record[1], "next");
    }

    #[test]
    fn a_key_destination_is_vapi_this_machine_or_a_named_host(input in urlish()) {
        let Ok(dest) = KeyDestination::parse(&input) else { return Ok(()) };
        let stored = dest.as_stored();
        let host = dest.host();
        // A canonical host: lower case, no empty label, no trailing dot.
        prop_assert!(!host.is_empty() && host == host.to_lowercase(), "{}", host);
        prop_assert!(!host.trim_start_matches('[').split('.').any(str::is_empty), "{}", host);
        // No credentials, query or fragment ever reach a stored address.
        let url = url::Url::parse(&stored).unwrap();
        prop_assert!(url.username().is_empty() && url.password().is_none(), "{}", stored);
        prop_assert!(url.query().is_none() && url.fragment().is_none(), "{}", stored);
        prop_assert_eq!(url.host_str(), Some(host));
        match dest.kind() {
            HostKind::Vapi => prop_assert!(host == "api.vapi.ai" && url.scheme() == "https"),
            HostKind::Loopback => prop_assert!(
                host == "localhost" || host.starts_with("127.") || host == "[::1]",
                "{}", host
            ),
            // Plain http only ever to this machine; anything else needs the owner's word.
            HostKind::NeedsTrust => prop_assert_eq!(url.scheme(), "https"),
        }
        // Stored and read again, it is the same destination.
        let again = KeyDestination::parse(&stored).unwrap();
        prop_assert_eq!(&again, &dest);
        // The host the owner would name trusts exactly this host.
        if dest.needs_trust() {
            prop_assert_eq!(parse_trusted_host(host).unwrap(), host);
        }
    }

    #[test]
    fn html_escapes_hold_no_markup_and_read_back(value in "\\PC{0,30}|[\\x00-\\x7f]{0,30}") {
        for escaped in [html_text(&value), html_attr(&value)] {
            prop_assert!(!escaped.contains(['<', '>', '"', '\'', '`']), "{}", escaped);
            let back = escaped
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#96;", "`")
                .replace("&amp;", "&");
            prop_assert_eq!(back, value.clone());
        }
    }
}
