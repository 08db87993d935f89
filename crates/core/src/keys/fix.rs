//! Audit fixes that change a key's restrictions, as pure rules on [`KeyRestrictions`]. Applying
//! a fix to a live key at Vapi is `crate::public_keys`' job.

use super::audit::Fix;
use super::error::KeysError;
use super::origin::normalize_origin;
use super::restrictions::{push_unique, KeyRestrictions, OriginScope};

impl KeyRestrictions {
    /// These restrictions with a restriction-changing fix applied. Never widens anything, and
    /// never empties the origin list (Vapi would read an empty list as "any website").
    pub fn with_fix(&self, fix: &Fix) -> Result<Self, KeysError> {
        let mut fixed = self.clone();
        match fix {
            Fix::DisallowTransient => fixed.allow_transient = false,
            Fix::UseHttps { from, to } => {
                let to = normalize_origin(to)?;
                let OriginScope::Only(list) = &self.origins else {
                    return Err(KeysError::FixOutdated);
                };
                if !list.iter().any(|o| o.to_string() == *from) {
                    return Err(KeysError::FixOutdated);
                }
                let mut replaced = Vec::new();
                for origin in list {
                    let next = if origin.to_string() == *from {
                        to.clone()
                    } else {
                        origin.clone()
                    };
                    push_unique(&mut replaced, next);
                }
                fixed.origins = OriginScope::Only(replaced);
            }
            Fix::RemoveOrigins { origins } => {
                let OriginScope::Only(list) = &self.origins else {
                    return Err(KeysError::FixOutdated);
                };
                let kept: Vec<_> = list
                    .iter()
                    .filter(|o| !origins.contains(&o.to_string()))
                    .cloned()
                    .collect();
                fixed.unusable_origins.retain(|u| !origins.contains(&u.raw));
                if kept.is_empty() && fixed.unusable_origins.is_empty() {
                    return Err(KeysError::WouldAllowAnyWebsite);
                }
                fixed.origins = OriginScope::Only(kept);
            }
            Fix::ChooseOrigins
            | Fix::ChooseAssistants
            | Fix::ReconnectPrivateKey
            | Fix::RotateKey
            | Fix::DeleteKey => return Err(KeysError::FixNeedsChoice),
        }
        Ok(fixed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::wire::TokenRestrictions;

    fn wire(origins: &[&str]) -> KeyRestrictions {
        KeyRestrictions::from_wire(Some(&TokenRestrictions {
            enabled: Some(true),
            allowed_origins: Some(origins.iter().map(|o| (*o).to_owned()).collect()),
            allowed_assistant_ids: None,
            allow_transient_assistant: None,
        }))
    }

    fn origins(r: &KeyRestrictions) -> Option<Vec<String>> {
        r.to_wire().allowed_origins
    }

    #[test]
    fn https_replaces_http_in_place_and_merges_duplicates() {
        let r = wire(&[
            "http://acme.com",
            "https://www.acme.com",
            "https://acme.com",
        ]);
        let fix = Fix::UseHttps {
            from: "http://acme.com".into(),
            to: "https://acme.com".into(),
        };
        assert_eq!(
            origins(&r.with_fix(&fix).unwrap()),
            Some(vec![
                "https://acme.com".into(),
                "https://www.acme.com".into()
            ])
        );
    }

    #[test]
    fn removing_every_origin_is_refused_because_vapi_would_read_any_website() {
        let r = wire(&["http://localhost:3000"]);
        let fix = Fix::RemoveOrigins {
            origins: vec!["http://localhost:3000".into()],
        };
        assert_eq!(r.with_fix(&fix), Err(KeysError::WouldAllowAnyWebsite));
        let r = wire(&[
            "http://localhost:3000",
            "https://acme.com",
            "https://Acme.com/",
        ]);
        let fix = Fix::RemoveOrigins {
            origins: vec!["http://localhost:3000".into(), "https://Acme.com/".into()],
        };
        let fixed = r.with_fix(&fix).unwrap();
        assert_eq!(origins(&fixed), Some(vec!["https://acme.com".into()]));
        assert!(fixed.unusable_origins().is_empty());
    }

    #[test]
    fn transient_is_turned_off_and_nothing_else_changes() {
        let r = wire(&["https://acme.com"]);
        assert!(
            r.allow_transient(),
            "Vapi's default when assistants are not listed"
        );
        let fixed = r.with_fix(&Fix::DisallowTransient).unwrap();
        assert!(!fixed.allow_transient());
        assert_eq!(origins(&fixed), origins(&r));
        assert_eq!(fixed.assistants(), r.assistants());
    }

    #[test]
    fn fixes_that_need_a_choice_are_not_applied_here() {
        let r = wire(&["https://acme.com"]);
        for fix in [Fix::ChooseOrigins, Fix::ChooseAssistants, Fix::RotateKey] {
            assert_eq!(r.with_fix(&fix), Err(KeysError::FixNeedsChoice));
        }
        let stale = Fix::UseHttps {
            from: "http://gone.example".into(),
            to: "https://gone.example".into(),
        };
        assert_eq!(r.with_fix(&stale), Err(KeysError::FixOutdated));
    }
}
