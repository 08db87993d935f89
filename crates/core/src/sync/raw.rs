//! `calls.raw`: a call's JSON as Vapi sent it (secret-looking fields removed), in one of three
//! forms told apart by their first bytes, so rows of every form live side by side and the
//! encoding can change without rewriting the cache:
//!
//! - plain JSON text (starts with `{`);
//! - a zstd frame of it (the zstd magic number), compressed alone;
//! - a zstd frame compressed with one of the org's dictionaries (`call_dicts`): the frame
//!   header carries the dictionary's id, which is how a reader finds it.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::Read;

use rusqlite::Connection;
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use super::options::RawEncoding;
use crate::store::{call_dicts, StoreError};

/// The first four bytes of every zstd frame (RFC 8878), little-endian 0xFD2FB528.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Dictionaries are at most this large. Measured on the simulator's calls, 32 KiB compress as
/// well as 110 KiB (zstd's usual size): what calls share is a few prompts and phrases.
const DICT_MAX_BYTES: usize = 32 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum RawError {
    #[error("a stored call could not be decompressed: {0}")]
    Decompress(#[source] std::io::Error),
    #[error("a stored call is not UTF-8 text")]
    NotText,
    #[error("a stored call is not valid JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    #[error("a stored call needs compression dictionary {0}, which the database does not hold")]
    MissingDictionary(u32),
    #[error("the compression dictionary of a stored call could not be read: {0}")]
    Lookup(#[source] Box<StoreError>),
}

/// Encodes calls' JSON for `calls.raw`, reusing one compression context (creating a zstd
/// context per call costs as much as compressing a small call).
pub struct Encoder<'d> {
    compressor: Option<zstd::bulk::Compressor<'d>>,
}

impl Encoder<'static> {
    /// An encoder without a dictionary (`ZstdDictionary` then compresses each call alone).
    pub fn new(encoding: RawEncoding) -> std::io::Result<Self> {
        let compressor = match encoding {
            RawEncoding::Plain => None,
            RawEncoding::Zstd(level) | RawEncoding::ZstdDictionary(level) => {
                Some(zstd::bulk::Compressor::new(level)?)
            }
        };
        Ok(Self { compressor })
    }
}

impl<'d> Encoder<'d> {
    /// An encoder compressing with `dict` (at the level the dictionary was prepared for).
    pub fn with_dictionary(dict: &'d EncoderDictionary<'static>) -> std::io::Result<Self> {
        Ok(Self {
            compressor: Some(zstd::bulk::Compressor::with_prepared_dictionary(dict)?),
        })
    }

    pub fn encode(&mut self, json: &str) -> std::io::Result<Vec<u8>> {
        match &mut self.compressor {
            None => Ok(json.as_bytes().to_vec()),
            Some(compressor) => compressor.compress(json.as_bytes()),
        }
    }
}

/// Encodes one call's JSON for `calls.raw`, without a dictionary.
pub fn encode(json: &str, encoding: RawEncoding) -> std::io::Result<Vec<u8>> {
    Encoder::new(encoding)?.encode(json)
}

/// A dictionary trained on calls' JSON, and the id zstd gave it (derived from its content;
/// every frame compressed with it carries that id).
#[derive(Debug, Clone)]
pub struct TrainedDict {
    pub id: u32,
    pub bytes: Vec<u8>,
}

impl TrainedDict {
    /// Trains on `samples` (calls' JSON as it will be stored). Fails on too few or too
    /// uniform samples; the caller then keeps compressing without a dictionary.
    pub fn train(samples: &[&str]) -> std::io::Result<Self> {
        let bytes = zstd::dict::from_samples(samples, DICT_MAX_BYTES)?;
        Self::from_bytes(bytes)
    }

    /// A stored dictionary; its id is read from its header.
    pub fn from_bytes(bytes: Vec<u8>) -> std::io::Result<Self> {
        let id = zstd::zstd_safe::get_dict_id_from_dict(&bytes)
            .map(u32::from)
            // Ids below 32768 are reserved by the zstd format, at and above 2^31 too.
            .filter(|id| (32_768..1 << 31).contains(id))
            .ok_or_else(|| std::io::Error::other("not a zstd dictionary with a usable id"))?;
        Ok(Self { id, bytes })
    }

    /// The dictionary prepared for compressing at `level`.
    pub fn encoder(&self, level: i32) -> EncoderDictionary<'static> {
        EncoderDictionary::copy(&self.bytes, level)
    }
}

/// Reads `calls.raw` values, keeping the dictionaries it has loaded (from `conn`'s
/// `call_dicts`) for the next ones.
#[derive(Default)]
pub struct Decoder {
    dicts: HashMap<u32, DecoderDictionary<'static>>,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The call's JSON text, whichever way it was stored.
    pub fn decode(&mut self, conn: &Connection, blob: &[u8]) -> Result<String, RawError> {
        let Some(id) = dictionary_of(blob) else {
            return decode(blob);
        };
        let dict = match self.dicts.entry(id) {
            Entry::Occupied(loaded) => loaded.into_mut(),
            Entry::Vacant(slot) => {
                let bytes = call_dicts::get(conn, id)
                    .map_err(|e| RawError::Lookup(Box::new(e)))?
                    .ok_or(RawError::MissingDictionary(id))?;
                slot.insert(DecoderDictionary::copy(&bytes))
            }
        };
        let mut out = Vec::with_capacity(blob.len() * 8);
        zstd::stream::read::Decoder::with_prepared_dictionary(blob, dict)
            .and_then(|mut d| d.read_to_end(&mut out))
            .map_err(RawError::Decompress)?;
        String::from_utf8(out).map_err(|_| RawError::NotText)
    }

    pub fn decode_json(
        &mut self,
        conn: &Connection,
        blob: &[u8],
    ) -> Result<serde_json::Value, RawError> {
        let text = self.decode(conn, blob)?;
        serde_json::from_str(&text).map_err(RawError::NotJson)
    }
}

/// The dictionary a zstd frame was compressed with, if any.
fn dictionary_of(blob: &[u8]) -> Option<u32> {
    if blob.starts_with(&ZSTD_MAGIC) {
        zstd::zstd_safe::get_dict_id_from_frame(blob).map(u32::from)
    } else {
        None
    }
}

/// The call's JSON text from a `calls.raw` value, dictionaries looked up in `conn`.
pub fn decode_in(conn: &Connection, blob: &[u8]) -> Result<String, RawError> {
    Decoder::new().decode(conn, blob)
}

/// The call as JSON from a `calls.raw` value, dictionaries looked up in `conn`.
pub fn decode_json_in(conn: &Connection, blob: &[u8]) -> Result<serde_json::Value, RawError> {
    Decoder::new().decode_json(conn, blob)
}

/// The call's JSON text from a `calls.raw` value stored without a dictionary (plain, or a zstd
/// frame of its own); a value that needs a dictionary is [`RawError::MissingDictionary`]: use
/// [`decode_in`] for those.
pub fn decode(blob: &[u8]) -> Result<String, RawError> {
    if let Some(id) = dictionary_of(blob) {
        return Err(RawError::MissingDictionary(id));
    }
    let bytes = if blob.starts_with(&ZSTD_MAGIC) {
        zstd::stream::decode_all(blob).map_err(RawError::Decompress)?
    } else {
        blob.to_vec()
    };
    String::from_utf8(bytes).map_err(|_| RawError::NotText)
}

/// The call as JSON, from a `calls.raw` value stored without a dictionary.
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

    fn samples() -> Vec<String> {
        (0..300)
            .map(|i| {
                format!(
                    r#"{{"id":"call-{i}","type":"inboundPhoneCall","status":"ended","messages":[{{"role":"system","message":"You are the front desk of Acme Dental. Be brief and kind."}},{{"role":"user","message":"I would like to book a cleaning on day {}"}}],"cost":{}.{:03}}}"#,
                    i % 28,
                    i % 7,
                    i * 37 % 1000
                )
            })
            .collect()
    }

    #[test]
    fn dictionary_frames_name_their_dictionary_and_need_it() {
        let samples = samples();
        let refs: Vec<&str> = samples.iter().map(String::as_str).collect();
        let dict = TrainedDict::train(&refs).unwrap();
        assert!(dict.bytes.len() <= DICT_MAX_BYTES);
        let prepared = dict.encoder(1);
        let mut encoder = Encoder::with_dictionary(&prepared).unwrap();
        let json = &samples[7];
        let blob = encoder.encode(json).unwrap();
        let alone = encode(json, RawEncoding::Zstd(1)).unwrap();
        assert!(
            blob.len() < alone.len(),
            "{} >= {}",
            blob.len(),
            alone.len()
        );
        assert_eq!(dictionary_of(&blob), Some(dict.id));
        assert_eq!(dictionary_of(&alone), None);
        assert!(matches!(decode(&blob), Err(RawError::MissingDictionary(id)) if id == dict.id));

        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE call_dicts (id INTEGER PRIMARY KEY, dict BLOB NOT NULL)")
            .unwrap();
        assert!(matches!(
            decode_in(&conn, &blob),
            Err(RawError::MissingDictionary(_))
        ));
        conn.execute(
            "INSERT INTO call_dicts (id, dict) VALUES (?1, ?2)",
            (dict.id, &dict.bytes),
        )
        .unwrap();
        let mut decoder = Decoder::new();
        assert_eq!(decoder.decode(&conn, &blob).unwrap(), *json);
        // Frames without a dictionary and plain JSON read through the same decoder.
        assert_eq!(decoder.decode(&conn, &alone).unwrap(), *json);
        assert_eq!(decoder.decode(&conn, json.as_bytes()).unwrap(), *json);
        assert_eq!(decode_json_in(&conn, &blob).unwrap()["id"], "call-7");
        assert_eq!(
            TrainedDict::from_bytes(dict.bytes.clone()).unwrap().id,
            dict.id
        );
    }
}
