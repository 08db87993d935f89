//! Some fields of a call's nested object (`artifact.transcript`, `analysis.summary` and
//! `analysis.successEvaluation`), read in the same walk that looks for secret-looking field
//! names, so the sync reads the call once.

use std::fmt;

use serde::de::value::SeqAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::record::{Loose, LooseSeed, Text};
use super::secrets::{suspect_name, Scan};

/// Reads the fields named in `self.0` from an object (each absent when the value is no object
/// or lacks it), and whether any field name in the value is suspect.
pub(super) struct PickSeed<const N: usize>(pub [&'static str; N]);

/// The values of the picked fields, in the order they were named.
pub(super) type Picked<'de, const N: usize> = [Option<Loose<'de>>; N];

fn none<'de, const N: usize>() -> Picked<'de, N> {
    std::array::from_fn(|_| None)
}

impl<'de, const N: usize> DeserializeSeed<'de> for PickSeed<N> {
    type Value = (Picked<'de, N>, bool);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(PickVisitor(self.0))
    }
}

struct PickVisitor<const N: usize>([&'static str; N]);

impl<'de, const N: usize> Visitor<'de> for PickVisitor<N> {
    type Value = (Picked<'de, N>, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut found, mut suspect) = (none(), false);
        while let Some(key) = map.next_key::<Text<'de>>()? {
            suspect |= suspect_name(&key.0);
            let slot = self
                .0
                .iter()
                .position(|f| *f == key.0)
                .and_then(|i| found.get_mut(i));
            if let Some(slot) = slot {
                let (value, inner) = map.next_value_seed(LooseSeed)?;
                suspect |= inner;
                *slot = Some(value);
            } else {
                suspect |= map.next_value_seed(Scan)?;
            }
        }
        Ok((found, suspect))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok((none(), Scan.deserialize(SeqAccessDeserializer::new(seq))?))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok((none(), false))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(field: &'static str, json: &str) -> (Option<String>, bool) {
        let mut de = serde_json::Deserializer::from_str(json);
        let ([value], suspect) = PickSeed([field]).deserialize(&mut de).unwrap();
        (
            value.and_then(Loose::text).map(|t| t.0.into_owned()),
            suspect,
        )
    }

    #[test]
    fn picks_the_field_and_still_sees_secrets() {
        assert_eq!(
            pick(
                "transcript",
                r#"{"messages":[{"a":1}],"transcript":"AI: hi\nUser: \"yo\""}"#
            ),
            (Some("AI: hi\nUser: \"yo\"".to_owned()), false)
        );
        assert_eq!(
            pick("summary", r#"{"summary":null,"x":{"apiKey":"k"}}"#),
            (None, true)
        );
        assert_eq!(pick("summary", r#"[{"secret":1}]"#), (None, true));
        assert_eq!(pick("summary", r#""text""#), (None, false));
    }

    #[test]
    fn picks_several_fields_of_any_type() {
        let json = r#"{"summary":"ok","successEvaluation":true,"x":[1]}"#;
        let mut de = serde_json::Deserializer::from_str(json);
        let ([summary, success], suspect) = PickSeed(["summary", "successEvaluation"])
            .deserialize(&mut de)
            .unwrap();
        assert_eq!(
            summary.and_then(Loose::text).map(|t| t.0),
            Some("ok".into())
        );
        assert_eq!(success.and_then(Loose::verdict), Some(true));
        assert!(!suspect);
    }
}
