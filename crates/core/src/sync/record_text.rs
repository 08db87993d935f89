//! One text field of a call's nested object (`artifact.transcript`, `analysis.summary`), read in
//! the same walk that looks for secret-looking field names, so the sync reads the call once.

use std::fmt;

use serde::de::value::SeqAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::record::{LooseSeed, Text};
use super::secrets::{suspect_name, Scan};

/// Reads `self.0` from an object (absent when the value is no object or the field no text),
/// and whether any field name in the value is suspect.
pub(super) struct PickSeed(pub &'static str);

impl<'de> DeserializeSeed<'de> for PickSeed {
    type Value = (Option<Text<'de>>, bool);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(PickVisitor(self.0))
    }
}

struct PickVisitor(&'static str);

impl<'de> Visitor<'de> for PickVisitor {
    type Value = (Option<Text<'de>>, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut found, mut suspect) = (None, false);
        while let Some(key) = map.next_key::<Text<'de>>()? {
            suspect |= suspect_name(&key.0);
            if key.0 == self.0 {
                let (value, inner) = map.next_value_seed(LooseSeed)?;
                suspect |= inner;
                found = value.text();
            } else {
                suspect |= map.next_value_seed(Scan)?;
            }
        }
        Ok((found, suspect))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok((None, Scan.deserialize(SeqAccessDeserializer::new(seq))?))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok((None, false))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok((None, false))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok((None, false))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok((None, false))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok((None, false))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((None, false))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok((None, false))
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
        let (text, suspect) = PickSeed(field).deserialize(&mut de).unwrap();
        (text.map(|t| t.0.into_owned()), suspect)
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
}
