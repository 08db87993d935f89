//! Body validation with class-validator's wording, as Vapi's NestJS
//! `ValidationPipe` (whitelist + forbidNonWhitelisted) answers: every problem
//! of a body is collected into one 400 whose `message` is an array.
//! `null` on an optional field counts as absent, as `@IsOptional()` does.

use serde_json::{Map, Value};

use crate::errors::ApiError;

pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    prefix: String,
    errors: Vec<String>,
}

/// The body must be a JSON object; anything else is a 400.
pub fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, ApiError> {
    value
        .as_object()
        .ok_or_else(|| ApiError::validation(vec![format!("{what} must be an object")]))
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>) -> Self {
        Self::nested(obj, "")
    }

    /// Validates a nested object; messages get `prefix.` in front, like
    /// class-validator does for `@ValidateNested()` properties.
    pub fn nested(obj: &'a Map<String, Value>, prefix: &str) -> Self {
        Self {
            obj,
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}.")
            },
            errors: Vec::new(),
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    pub fn error(&mut self, message: String) {
        self.errors.push(message);
    }

    pub fn forbid_unknown(&mut self, allowed: &[&str]) {
        let unknown: Vec<String> = self
            .obj
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .map(|k| format!("property {}{k} should not exist", self.prefix))
            .collect();
        self.errors.extend(unknown);
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    pub fn opt_string(&mut self, key: &str, max_len: Option<usize>) -> Option<String> {
        let v = self.get(key)?;
        let Some(s) = v.as_str() else {
            let msg = format!("{} must be a string", self.name(key));
            self.error(msg);
            return None;
        };
        if let Some(max) = max_len {
            // class-validator counts UTF-16 code units; chars is close enough
            // and never splits a character.
            if s.chars().count() > max {
                let msg = format!(
                    "{} must be shorter than or equal to {max} characters",
                    self.name(key)
                );
                self.error(msg);
                return None;
            }
        }
        Some(s.to_owned())
    }

    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                let msg = format!("{} must be a boolean value", self.name(key));
                self.error(msg);
                None
            }
        }
    }

    pub fn opt_number(&mut self, key: &str, min: f64, max: f64) -> Option<f64> {
        let v = self.get(key)?;
        let Some(n) = v.as_f64() else {
            let msg = format!(
                "{} must be a number conforming to the specified constraints",
                self.name(key)
            );
            self.error(msg);
            return None;
        };
        if n < min {
            let msg = format!("{} must not be less than {min}", self.name(key));
            self.error(msg);
            return None;
        }
        if n > max {
            let msg = format!("{} must not be greater than {max}", self.name(key));
            self.error(msg);
            return None;
        }
        Some(n)
    }

    pub fn opt_enum(&mut self, key: &str, allowed: &[&str]) -> Option<String> {
        let v = self.get(key)?;
        match v.as_str() {
            Some(s) if allowed.contains(&s) => Some(s.to_owned()),
            _ => {
                let msg = format!(
                    "{} must be one of the following values: {}",
                    self.name(key),
                    allowed.join(", ")
                );
                self.error(msg);
                None
            }
        }
    }

    pub fn opt_object(&mut self, key: &str) -> Option<&'a Map<String, Value>> {
        let v = self.get(key)?;
        match v.as_object() {
            Some(o) => Some(o),
            None => {
                let msg = format!("{} must be an object", self.name(key));
                self.error(msg);
                None
            }
        }
    }

    /// An array of strings; `null`, numbers or objects inside are errors.
    pub fn opt_string_array(&mut self, key: &str) -> Option<Vec<String>> {
        let v = self.get(key)?;
        let Some(items) = v.as_array() else {
            let msg = format!("{} must be an array", self.name(key));
            self.error(msg);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => {
                    let msg = format!("each value in {} must be a string", self.name(key));
                    self.error(msg);
                    return None;
                }
            }
        }
        Some(out)
    }

    pub fn take_errors(&mut self) -> Vec<String> {
        std::mem::take(&mut self.errors)
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}
