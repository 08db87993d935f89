//! Escaping with hostile names: each literal must read back as exactly the original text in its
//! real interpreter (node, python3), and must never contain what would end its context.

use std::process::Command;

use agencydesk_core::snippets::escape::{
    comment_text, html_attr, html_text, js_string, json_string, python_string, script_json,
    short_comment_text,
};
use proptest::prelude::*;

const HOSTILE: &[&str] = &[
    "Bob's \"Best\" Dental",
    "</script><script>alert(1)</script>",
    "<!-- comment --> <![CDATA[ ]]>",
    "line one\nline two\r\nline three",
    "tab\there",
    "${process.exit(1)} `backtick` ${'x'}",
    "back\\slash \\u0041 \\",
    "u2028[\u{2028}] u2029[\u{2029}] nel[\u{85}]",
    "nul[\u{0}] bell[\u{7}] del[\u{7f}]",
    "émoji 🎉 日本語 Ünïcödé",
    "*/ alert(1) /*",
    "--> -- ---",
    "'; DROP TABLE clients; --",
    "@@ASSISTANT_ID@@",
    "",
];

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test: {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn js_literals_evaluate_to_the_original_in_node() {
    let literals: Vec<String> = HOSTILE.iter().map(|s| js_string(s)).collect();
    let program = format!(
        "process.stdout.write(JSON.stringify([{}]));",
        literals.join(", ")
    );
    let back: Vec<String> = serde_json::from_str(&run("node", &["-e", &program])).unwrap();
    assert_eq!(back, HOSTILE);
}

#[test]
fn js_literals_inside_an_inline_script_stay_inside() {
    for s in HOSTILE {
        let lit = js_string(s);
        let lower = lit.to_lowercase();
        assert!(
            !lower.contains("</script") && !lower.contains("<!--"),
            "{lit}"
        );
        assert!(
            !lit.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\'', '`', '$']),
            "{lit}"
        );
        // The only unescaped double quotes are the two delimiters.
        let inner = &lit[1..lit.len() - 1];
        assert!(
            !inner.replace("\\\\", "").replace("\\\"", "").contains('"'),
            "{lit}"
        );
    }
}

#[test]
fn json_literals_parse_back_and_are_script_safe() {
    for s in HOSTILE {
        let lit = json_string(s);
        let back: String = serde_json::from_str(&lit).unwrap();
        assert_eq!(back, *s);
        assert!(
            !lit.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
            "{lit}"
        );
    }
    let nested = script_json(&serde_json::json!({ "name": HOSTILE[1], "list": HOSTILE })).unwrap();
    assert!(!nested.to_lowercase().contains("</script"));
    let back: serde_json::Value = serde_json::from_str(&nested).unwrap();
    assert_eq!(back["name"], HOSTILE[1]);
}

#[test]
fn python_literals_evaluate_to_the_original_in_python() {
    let literals: Vec<String> = HOSTILE.iter().map(|s| python_string(s)).collect();
    let program = format!(
        "import json, sys\nsys.stdout.write(json.dumps([{}]))\n",
        literals.join(", ")
    );
    let back: Vec<String> = serde_json::from_str(&run("python3", &["-c", &program])).unwrap();
    assert_eq!(back, HOSTILE);
    for lit in &literals {
        assert!(lit.is_ascii() && !lit.contains(['\n', '\r']), "{lit}");
    }
}

#[test]
fn html_escapes_read_back_in_python_and_contain_no_markup() {
    let escaped: Vec<String> = HOSTILE.iter().map(|s| html_attr(s)).collect();
    for e in &escaped {
        assert!(!e.contains(['<', '>', '"', '\'', '`']), "{e}");
    }
    assert_eq!(html_text("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    let program = "import html, json, sys\n\
        sys.stdout.write(json.dumps([html.unescape(s) for s in json.loads(sys.argv[1])]))\n";
    let input = serde_json::to_string(&escaped).unwrap();
    let back: Vec<String> =
        serde_json::from_str(&run("python3", &["-c", program, &input])).unwrap();
    assert_eq!(back, HOSTILE);
}

#[test]
fn comments_cannot_end_early() {
    for s in HOSTILE {
        let c = comment_text(s);
        assert!(
            !c.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}', '<', '>']),
            "{c:?}"
        );
        assert!(!c.contains("*/") && !c.contains("--"), "{c:?}");
    }
    assert_eq!(comment_text("Bob's\n<b>Dental</b>"), "Bob's bDental/b");
    let long = short_comment_text(&"x".repeat(500));
    assert_eq!(long.chars().count(), 81);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn any_text_round_trips_through_json_and_js_literals(s in "\\PC{0,40}|[\\x00-\\x7f]{0,40}") {
        let js = js_string(&s);
        // js_string only uses escapes JSON also knows, so JSON can read it back.
        prop_assert_eq!(serde_json::from_str::<String>(&js).unwrap(), s.clone());
        let forbidden = ['<', '>', '\n', '\r', '\u{2028}', '\u{2029}', '`', '$', '\''];
        prop_assert!(!js.contains(forbidden), "{}", js);
        prop_assert_eq!(serde_json::from_str::<String>(&json_string(&s)).unwrap(), s.clone());
    }

    #[test]
    fn any_text_gives_inert_comments_and_ascii_python(s in "\\PC{0,60}|[\\x00-\\x7f]{0,60}") {
        let c = comment_text(&s);
        prop_assert!(!c.chars().any(|ch| ch.is_control() || (ch.is_whitespace() && ch != ' ')));
        prop_assert!(!c.contains("*/") && !c.contains("--") && !c.contains(['<', '>']));
        let p = python_string(&s);
        prop_assert!(p.is_ascii() && !p.contains(['\n', '\r']));
    }
}
