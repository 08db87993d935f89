//! Values shaped like Vapi credentials: a UUID (private and public keys are UUIDs) or a JWT
//! (`header.payload.signature`, base64url, the header starting `eyJ`). Text that may reach a
//! terminal or a crash report without passing through `Sensitive` (a panic message, say) has
//! such values masked, so no code path can print a key by accident.

/// What a masked value is replaced with.
pub const MASK: &str = "<key-shaped value>";

/// Which shape a found value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyShape {
    Uuid,
    Jwt,
}

/// One key-shaped value inside a text: where it starts (a byte offset) and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyShaped<'t> {
    pub start: usize,
    pub value: &'t str,
    pub shape: KeyShape,
}

/// Every UUID- or JWT-shaped value in `text`, in order (the site scan looks for leaked keys
/// with the same rules that mask them).
pub fn key_shaped_values(text: &str) -> Vec<KeyShaped<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A match must start at a token boundary, so "x1234…" is not cut in the middle.
        let boundary = i == 0 || !is_token_byte(bytes[i - 1]);
        let hit = if boundary {
            uuid_len(&bytes[i..])
                .map(|len| (len, KeyShape::Uuid))
                .or_else(|| jwt_len(&bytes[i..]).map(|len| (len, KeyShape::Jwt)))
        } else {
            None
        };
        match hit {
            // Both shapes are ASCII only, so `i..i + len` lies on character boundaries.
            Some((len, shape)) => {
                found.push(KeyShaped {
                    start: i,
                    value: &text[i..i + len],
                    shape,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

/// `text` with every UUID- or JWT-shaped value replaced by [`MASK`].
pub fn mask_key_shapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for hit in key_shaped_values(text) {
        out.push_str(&text[copied..hit.start]);
        out.push_str(MASK);
        copied = hit.start + hit.value.len();
    }
    out.push_str(&text[copied..]);
    out
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// 8-4-4-4-12 hex digits, not followed by more of a token.
fn uuid_len(s: &[u8]) -> Option<usize> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let mut at = 0;
    for (n, group) in GROUPS.iter().enumerate() {
        if n > 0 {
            if s.get(at) != Some(&b'-') {
                return None;
            }
            at += 1;
        }
        let digits = s.get(at..at + group)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        at += group;
    }
    match s.get(at) {
        Some(&b) if is_token_byte(b) => None,
        _ => Some(at),
    }
}

/// `eyJ…` then two more base64url segments, each at least 2 long, dot-separated.
fn jwt_len(s: &[u8]) -> Option<usize> {
    if !s.starts_with(b"eyJ") {
        return None;
    }
    let segment = |from: usize| {
        s[from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
            .count()
    };
    let mut at = 0;
    for n in 0..3 {
        if n > 0 {
            if s.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
        let len = segment(at);
        if len < 2 {
            return None;
        }
        at += len;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuid_from(n: u128) -> String {
        let h = format!("{n:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }

    #[test]
    fn uuids_and_jwts_are_masked_wherever_they_sit() {
        let key = uuid_from(0x1f2e_3d4c_5b6a_7988_a7b6_c5d4_e3f2_0123);
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJvcmdJZCI6IngifQ.c2lnbmF0dXJl";
        let text = format!("key={key}, token \"{jwt}\" and {}", key.to_uppercase());
        let masked = mask_key_shapes(&text);
        assert!(!masked.contains(&key) && !masked.contains(&key.to_uppercase()));
        assert!(!masked.contains(jwt));
        assert_eq!(masked, format!("key={MASK}, token \"{MASK}\" and {MASK}"));
    }

    #[test]
    fn values_are_found_with_their_shape_and_place() {
        let key = uuid_from(7);
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJvcmdJZCI6IngifQ.c2lnbmF0dXJl";
        let text = format!("new Vapi(\"{key}\"); token={jwt}");
        let found = key_shaped_values(&text);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].value, found[0].shape),
            (key.as_str(), KeyShape::Uuid)
        );
        assert_eq!(&text[found[0].start..found[0].start + key.len()], key);
        assert_eq!((found[1].value, found[1].shape), (jwt, KeyShape::Jwt));
    }

    #[test]
    fn near_misses_stay() {
        let text = "build 1234-5678, x1f2e3d4c-5b6a-7988-a7b6-c5d4e3f20123, eyJ.only, 1f2e3d4c-5b6a-7988-a7b6-c5d4e3f2012";
        assert_eq!(mask_key_shapes(text), text);
    }

    #[test]
    fn non_ascii_text_around_a_key_survives() {
        let key = uuid_from(u128::MAX / 3);
        let text = format!("clé «{key}» 日本");
        assert_eq!(mask_key_shapes(&text), format!("clé «{MASK}» 日本"));
    }
}
