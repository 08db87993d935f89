//! `calls.raw`: a call's JSON as Vapi sent it (secret-looking fields removed), plain or as a zstd
//! frame. The two are told apart by their first bytes (JSON text starts with `{`, a zstd frame
//! with its magic number), so readers need no flag and the encoding can change without a
//! migration.

use super::options::RawEncoding;

/// The first four bytes of every zstd frame (RFC 8878), little-endian 0xFD2FB528.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

#[derive(Debug, thiserror::Error)]
pub enum RawError {
    #[error("a stored call could not be decompressed: {0}")]
    Decompress(#[source] std::io::Error),
    #[error("a stored call is not UTF-8 text")]
    NotText,
    #[error("a stored call is not valid JSON: {0}")]
    NotJson(#[source] serde_json::Error),
}

/// Encodes calls' JSON for `calls.raw`, reusing one compression context (creating a zstd
/// context per call costs as much as compressing a small call).
pub struct Encoder {
    compressor: Option<zstd::bulk::Compressor<'static>>,
}

impl Encoder {
    pub fn new(encoding: RawEncoding) -> std::io::Result<Self> {
        let compressor = match encoding {
            RawEncoding::Plain => None,
            RawEncoding::Zstd(level) => Some(zstd::bulk::Compressor::new(level)?),
        };
        Ok(Self { compressor })
    }

    pub fn encode(&mut self, json: &str) -> std::io::Result<Vec<u8>> {
        match &mut self.compressor {
            None => Ok(json.as_bytes().to_vec()),
            Some(compressor) => compressor.compress(json.as_bytes()),
        }
    }
}

/// Encodes one call's JSON for `calls.raw`.
pub fn encode(json: &str, encoding: RawEncoding) -> std::io::Result<Vec<u8>> {
    Encoder::new(encoding)?.encode(json)
}

/// The call's JSON text from a `calls.raw` value, whichever way it was stored.
pub fn decode(blob: &[u8]) -> Result<String, RawError> {
    let bytes = if blob.starts_with(&ZSTD_MAGIC) {
        zstd::stream::decode_all(blob).map_err(RawError::Decompress)?
    } else {
        blob.to_vec()
    };
    String::from_utf8(bytes).map_err(|_| RawError::NotText)
}

/// The call as JSON, from a `calls.raw` value.
pub fn decode_json(blob: &[u8]) -> Result<serde_json::Value, RawError> {
    let text = decode(blob)?;
    serde_json::from_str(&text).map_err(RawError::NotJson)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_encodings_read_back() {
        let json = r#"{"id":"c1","transcript":"AI: hello\nUser: hello hello hello hello"}"#;
        for encoding in [
            RawEncoding::Plain,
            RawEncoding::Zstd(1),
            RawEncoding::Zstd(19),
        ] {
            let blob = encode(json, encoding).unwrap();
            assert_eq!(decode(&blob).unwrap(), json, "{encoding:?}");
            assert_eq!(decode_json(&blob).unwrap()["id"], "c1");
        }
        assert!(encode(json, RawEncoding::Zstd(3))
            .unwrap()
            .starts_with(&ZSTD_MAGIC));
    }

    #[test]
    fn damaged_blobs_are_errors_not_panics() {
        let mut blob = encode("{\"id\":\"c1\"}", RawEncoding::Zstd(3)).unwrap();
        blob.truncate(blob.len() - 3);
        assert!(decode(&blob).is_err());
        assert!(matches!(decode(&[0xff, 0xfe]), Err(RawError::NotText)));
    }
}
