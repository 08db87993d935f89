//! Every origin rule, one case (or a few) each.

use agencydesk_core::keys::{
    normalize_origin, suggestions, Origin, OriginError, OriginWarningKind,
};

fn ok(input: &str) -> String {
    match normalize_origin(input) {
        Ok(origin) => origin.to_string(),
        Err(err) => panic!("{input:?} refused: {err}"),
    }
}

fn err(input: &str) -> OriginError {
    match normalize_origin(input) {
        Ok(origin) => panic!("{input:?} accepted as {origin}"),
        Err(err) => err,
    }
}

fn origin(input: &str) -> Origin {
    normalize_origin(input).unwrap()
}

#[test]
fn plain_origins_are_kept() {
    assert_eq!(ok("https://acme.com"), "https://acme.com");
    assert_eq!(
        ok("http://shop.acme.co.uk:8080"),
        "http://shop.acme.co.uk:8080"
    );
}

#[test]
fn surrounding_whitespace_is_trimmed_and_bare_slash_dropped() {
    assert_eq!(ok("  https://acme.com/ \n"), "https://acme.com");
}

#[test]
fn scheme_and_host_are_lowercased() {
    assert_eq!(ok("HTTPS://WWW.Acme.COM"), "https://www.acme.com");
}

#[test]
fn default_ports_are_dropped_other_ports_kept() {
    assert_eq!(ok("https://acme.com:443"), "https://acme.com");
    assert_eq!(ok("http://acme.com:80"), "http://acme.com");
    assert_eq!(ok("https://acme.com:80"), "https://acme.com:80");
    assert_eq!(ok("http://acme.com:443"), "http://acme.com:443");
    assert_eq!(ok("https://acme.com:0443"), "https://acme.com");
    assert_eq!(ok("https://acme.com:"), "https://acme.com");
}

#[test]
fn bad_ports_are_refused() {
    for port in ["0", "65536", "99999999999999999999", "80a", "-1", "+80"] {
        let e = err(&format!("https://acme.com:{port}"));
        assert!(
            matches!(e, OriginError::InvalidPort { .. }),
            "{port}: {e:?}"
        );
        assert!(e.to_string().contains("1 to 65535"));
    }
}

#[test]
fn idn_becomes_punycode() {
    assert_eq!(ok("https://bücher.de"), "https://xn--bcher-kva.de");
    assert_eq!(ok("https://BÜCHER.de"), "https://xn--bcher-kva.de");
    // Full-width letters and the ideographic full stop map to their plain forms, as in browsers.
    assert_eq!(ok("https://ａｃｍｅ。com"), "https://acme.com");
    assert_eq!(ok("https://xn--bcher-kva.de"), "https://xn--bcher-kva.de");
}

#[test]
fn trailing_dot_is_removed_but_empty_labels_refused() {
    assert_eq!(ok("https://acme.com."), "https://acme.com");
    assert_eq!(err("https://acme..com"), OriginError::EmptyLabel);
    assert!(normalize_origin("https://.acme.com").is_err());
    assert!(normalize_origin("https://acme.com..").is_err());
}

#[test]
fn path_is_refused_with_the_fixed_origin() {
    let e = err("https://acme.com/contact");
    assert_eq!(
        e,
        OriginError::Path {
            path: "/contact".into(),
            suggestion: Some("https://acme.com".into())
        }
    );
    assert_eq!(
        e.to_string(),
        "Remove the path \"/contact\": an origin is only scheme, host and port, here https://acme.com"
    );
    assert_eq!(e.suggestion(), Some("https://acme.com"));
    assert!(matches!(
        err("https://acme.com//"),
        OriginError::Path { .. }
    ));
}

#[test]
fn query_and_fragment_are_refused() {
    let q = err("https://acme.com/?utm_source=x");
    assert_eq!(
        q,
        OriginError::Query {
            suggestion: Some("https://acme.com".into())
        }
    );
    let q2 = err("https://acme.com?x");
    assert!(matches!(q2, OriginError::Query { .. }));
    let f = err("https://Acme.com:443#top");
    assert_eq!(
        f,
        OriginError::Fragment {
            suggestion: Some("https://acme.com".into())
        }
    );
}

#[test]
fn wildcards_are_refused() {
    for input in ["*", "https://*.acme.com", "https://acme.*", "*.acme.com"] {
        let e = err(input);
        assert!(matches!(e, OriginError::Wildcard), "{input}: {e:?}");
    }
    assert_eq!(err("https://*.acme.com"), OriginError::Wildcard);
    assert!(err("https://*.acme.com")
        .to_string()
        .contains("list each site separately"));
}

#[test]
fn credentials_are_refused_without_echoing_them() {
    let e = err("https://bob:hunter2@acme.com/");
    assert_eq!(
        e,
        OriginError::Credentials {
            suggestion: Some("https://acme.com".into())
        }
    );
    assert!(!e.to_string().contains("hunter2"));
    assert!(!format!("{e:?}").contains("hunter2"));
}

#[test]
fn null_and_empty_are_refused() {
    assert_eq!(err("null"), OriginError::Null);
    assert_eq!(err(" NULL "), OriginError::Null);
    assert_eq!(err(""), OriginError::Empty);
    assert_eq!(err(" \t\n "), OriginError::Empty);
}

#[test]
fn inner_whitespace_and_control_characters_are_refused() {
    assert_eq!(err("https://acme .com"), OriginError::Whitespace);
    assert_eq!(err("https://acme\u{a0}.com"), OriginError::Whitespace);
    assert_eq!(err("https://acme\u{7}.com"), OriginError::ControlCharacter);
}

#[test]
fn non_web_schemes_are_refused() {
    for input in [
        "ftp://acme.com",
        "file:///etc/passwd",
        "ws://acme.com",
        "chrome-extension://abc",
    ] {
        assert!(
            matches!(err(input), OriginError::UnsupportedScheme { .. }),
            "{input}"
        );
    }
    assert!(matches!(
        err("mailto:bob@acme.com"),
        OriginError::UnsupportedScheme { .. }
    ));
    assert!(matches!(
        err("javascript:alert(1)"),
        OriginError::UnsupportedScheme { .. }
    ));
}

#[test]
fn missing_scheme_suggests_https_or_http_for_local() {
    assert_eq!(
        err("acme.com"),
        OriginError::MissingScheme {
            suggestion: Some("https://acme.com".into())
        }
    );
    assert_eq!(
        err("acme.com:8443/x"),
        OriginError::MissingScheme {
            suggestion: Some("https://acme.com:8443".into())
        }
    );
    assert_eq!(
        err("localhost:3000"),
        OriginError::MissingScheme {
            suggestion: Some("http://localhost:3000".into())
        }
    );
    assert_eq!(
        err("//acme.com"),
        OriginError::MissingScheme {
            suggestion: Some("https://acme.com".into())
        }
    );
    assert!(err("acme.com").to_string().contains("https://acme.com"));
}

#[test]
fn missing_slashes_are_refused() {
    assert_eq!(
        err("https:acme.com"),
        OriginError::MissingSlashes {
            suggestion: Some("https://acme.com".into())
        }
    );
    assert_eq!(
        err("https:/acme.com"),
        OriginError::MissingSlashes {
            suggestion: Some("https://acme.com".into())
        }
    );
}

#[test]
fn backslashes_are_refused() {
    assert_eq!(err("https:\\\\acme.com"), OriginError::Backslash);
    assert_eq!(err("https://acme.com\\"), OriginError::Backslash);
}

#[test]
fn local_development_hosts_are_allowed_and_flagged() {
    for input in [
        "http://localhost:5173",
        "http://client-a.localhost:8080",
        "http://127.0.0.1:3000",
        "http://[::1]:3000",
        "http://192.168.1.20:5173",
        "http://10.0.0.5",
        "https://localhost",
    ] {
        let o = origin(input);
        assert!(o.is_local_dev(), "{input}");
        assert!(!o.is_insecure_production(), "{input}");
    }
    assert!(!origin("https://acme.com").is_local_dev());
    assert_eq!(ok("http://[0:0:0:0:0:0:0:1]:3000"), "http://[::1]:3000");
    assert_eq!(ok("http://LOCALHOST:3000"), "http://localhost:3000");
}

#[test]
fn public_and_odd_ip_literals_are_refused() {
    assert_eq!(
        err("https://8.8.8.8"),
        OriginError::PublicIp {
            ip: "8.8.8.8".into()
        }
    );
    assert!(matches!(
        err("http://0.0.0.0"),
        OriginError::PublicIp { .. }
    ));
    assert!(matches!(
        err("http://[2001:db8::1]"),
        OriginError::PublicIp { .. }
    ));
    assert!(matches!(
        err("http://[::ffff:127.0.0.1]"),
        OriginError::PublicIp { .. }
    ));
    // Shorthand forms browsers would accept are refused: they are nearly always typos.
    for input in [
        "http://127.1",
        "http://0x7f.0.0.1",
        "http://2130706433",
        "http://127.0.0.01",
        "http://256.0.0.1",
    ] {
        assert!(
            matches!(err(input), OriginError::InvalidIpv4 { .. }),
            "{input}"
        );
    }
    assert_eq!(err("http://::1"), OriginError::Ipv6NeedsBrackets);
    assert!(matches!(
        err("http://[::1"),
        OriginError::InvalidIpv6 { .. }
    ));
    assert!(matches!(
        err("http://[zz::1]"),
        OriginError::InvalidIpv6 { .. }
    ));
    assert!(matches!(
        err("http://[::1]x"),
        OriginError::InvalidIpv6 { .. }
    ));
}

#[test]
fn domain_shape_rules() {
    assert!(matches!(
        err("https://acme"),
        OriginError::SingleLabel { .. }
    ));
    assert!(err("https://acme").to_string().contains("https://acme.com"));
    assert!(matches!(
        err("https://-acme.com"),
        OriginError::BadHyphen { .. }
    ));
    assert!(matches!(
        err("https://acme-.com"),
        OriginError::BadHyphen { .. }
    ));
    assert!(matches!(
        err("https://my_site.com"),
        OriginError::InvalidHostCharacters { .. }
    ));
    assert!(matches!(
        err("https://acme%2ecom"),
        OriginError::InvalidHostCharacters { .. }
    ));
    let long_label = "a".repeat(64);
    assert!(matches!(
        err(&format!("https://{long_label}.com")),
        OriginError::LabelTooLong { .. }
    ));
    let long_host = format!("{}.com", ["abcdefghij"; 25].join("."));
    assert_eq!(
        err(&format!("https://{long_host}")),
        OriginError::HostTooLong
    );
    assert_eq!(err("https://"), OriginError::MissingHost);
    assert_eq!(err("https://:8080"), OriginError::MissingHost);
    assert!(matches!(
        err("https://xn--zz.com"),
        OriginError::InvalidDomain { .. }
    ));
}

#[test]
fn too_long_input_is_refused_before_parsing() {
    let huge = format!("https://{}.com", "a".repeat(5000));
    assert!(matches!(err(&huge), OriginError::TooLong { .. }));
}

#[test]
fn error_messages_stay_short_for_hostile_input() {
    let e = err(&format!("https://acme.com/{}", "x".repeat(1500)));
    assert!(e.to_string().chars().count() < 200, "{}", e);
}

#[test]
fn www_twin_for_apex_and_www() {
    let twin = |s: &str| origin(s).www_twin().map(|o| o.to_string());
    assert_eq!(
        twin("https://acme.com").as_deref(),
        Some("https://www.acme.com")
    );
    assert_eq!(
        twin("https://www.acme.com:8443").as_deref(),
        Some("https://acme.com:8443")
    );
    assert_eq!(
        twin("https://acme.co.uk").as_deref(),
        Some("https://www.acme.co.uk")
    );
    assert_eq!(
        twin("https://www.acme.co.uk").as_deref(),
        Some("https://acme.co.uk")
    );
    assert_eq!(twin("https://shop.acme.com"), None);
    assert_eq!(twin("http://localhost:3000"), None);
    assert_eq!(twin("http://127.0.0.1:3000"), None);
}

#[test]
fn serde_round_trip_validates() {
    let o = origin("https://Acme.com/");
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(json, "\"https://acme.com\"");
    let back: Origin = serde_json::from_str("\"HTTPS://ACME.COM:443\"").unwrap();
    assert_eq!(back, o);
    assert!(serde_json::from_str::<Origin>("\"https://acme.com/path\"").is_err());
}

#[test]
fn suggestions_flag_missing_twin_http_and_mixed_local() {
    let list = [
        origin("https://acme.com"),
        origin("http://shop.acme.com"),
        origin("http://localhost:3000"),
    ];
    let warnings = suggestions(&list);
    let kinds: Vec<(OriginWarningKind, &str, Option<&str>)> = warnings
        .iter()
        .map(|w| (w.kind, w.origin.as_str(), w.suggestion.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                OriginWarningKind::MissingWwwTwin,
                "https://acme.com",
                Some("https://www.acme.com")
            ),
            (
                OriginWarningKind::PlainHttp,
                "http://shop.acme.com",
                Some("https://shop.acme.com")
            ),
            (
                OriginWarningKind::LocalWithProduction,
                "http://localhost:3000",
                None
            ),
        ]
    );
    assert!(warnings[0].message.contains("https://www.acme.com"));
}

#[test]
fn suggestions_are_quiet_for_a_good_list() {
    assert!(suggestions(&[origin("https://acme.com"), origin("https://www.acme.com")]).is_empty());
    // Only development origins: nothing to mix up.
    assert!(suggestions(&[
        origin("http://localhost:3000"),
        origin("http://127.0.0.1:3000")
    ])
    .is_empty());
    assert!(suggestions(&[]).is_empty());
}
