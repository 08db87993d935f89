//! Warnings about a set of allowed origins that is valid but probably not what was meant.

use serde::Serialize;
use ts_rs::TS;

use super::origin::Origin;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum OriginWarningKind {
    /// `https://acme.com` is listed but `https://www.acme.com` is not, or the reverse.
    MissingWwwTwin,
    /// A real site on plain http.
    PlainHttp,
    /// A local development origin next to production ones in the same key.
    LocalWithProduction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OriginWarning {
    pub kind: OriginWarningKind,
    /// The origin the warning is about.
    pub origin: String,
    /// The origin to add (for a missing twin) or to use instead (https for http).
    pub suggestion: Option<String>,
    pub message: String,
}

/// Warnings for a list of allowed origins, in list order, one per origin and kind.
pub fn suggestions(origins: &[Origin]) -> Vec<OriginWarning> {
    let mut warnings = Vec::new();
    for origin in origins {
        if let Some(twin) = origin.www_twin().filter(|t| !origins.contains(t)) {
            warnings.push(OriginWarning {
                kind: OriginWarningKind::MissingWwwTwin,
                origin: origin.to_string(),
                suggestion: Some(twin.to_string()),
                message: format!(
                    "{origin} is allowed but {twin} is not: visitors who reach the site at {twin} \
                     will be refused. Add it unless the site never answers there."
                ),
            });
        }
        if origin.is_insecure_production() {
            let https = origin.to_string().replacen("http://", "https://", 1);
            warnings.push(OriginWarning {
                kind: OriginWarningKind::PlainHttp,
                origin: origin.to_string(),
                suggestion: Some(https.clone()),
                message: format!(
                    "{origin} uses plain http: the page and the key travel unencrypted. \
                     Use {https} if the site has a certificate."
                ),
            });
        }
    }
    let has_production = origins.iter().any(|o| !o.is_local_dev());
    if has_production {
        for origin in origins.iter().filter(|o| o.is_local_dev()) {
            warnings.push(OriginWarning {
                kind: OriginWarningKind::LocalWithProduction,
                origin: origin.to_string(),
                suggestion: None,
                message: format!(
                    "{origin} is a local development address: anyone can serve a page from their \
                     own computer at that address and use this key. Keep it in a separate \
                     development key."
                ),
            });
        }
    }
    warnings
}
