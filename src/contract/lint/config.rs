//! `.hookbridge.yaml`: the level (off, warn, error) set for each rule.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::catalog::{rule_info, Level, RULES};
use crate::diagnostics::{Diagnostic, Error};
use crate::document::load::Limits;
use crate::document::pointer;

/// Rule levels set by a `.hookbridge.yaml` (`rules: {rule-id: off|warn|error}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    levels: BTreeMap<&'static str, Level>,
}

/// The configuration file `hookbridge lint` reads from the working directory by default.
pub const CONFIG_FILE: &str = ".hookbridge.yaml";

impl LintConfig {
    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<LintConfig, Error> {
        let doc = crate::document::load::load_path(path, &Limits::default())?;
        LintConfig::from_value(&doc.value, &doc.name)
    }

    /// Parses configuration text (YAML or JSON).
    pub fn from_text(text: &str, name: &str) -> Result<LintConfig, Error> {
        let doc = crate::document::load::parse_str(text, name, &Limits::default())?;
        LintConfig::from_value(&doc.value, name)
    }

    /// Reads the `rules` mapping; other top-level keys are left to other commands.
    pub fn from_value(value: &Value, name: &str) -> Result<LintConfig, Error> {
        let mut config = LintConfig::default();
        let Some(rules) = value.get("rules") else {
            return Ok(config);
        };
        let Some(rules) = rules.as_object() else {
            return Err(config_error(
                name,
                "/rules",
                "`rules` must be a mapping of rule ids to off, warn or error".into(),
            ));
        };
        for (id, level) in rules {
            let at = pointer::join(["rules", id.as_str()]);
            let Some(info) = rule_info(id) else {
                let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
                let msg = format!("unknown rule `{id}`; the rules are: {}", known.join(", "));
                return Err(config_error(name, &at, msg));
            };
            let level = level.as_str().and_then(Level::parse).ok_or_else(|| {
                config_error(
                    name,
                    &at,
                    format!("the level of `{id}` must be off, warn or error"),
                )
            })?;
            config.levels.insert(info.id, level);
        }
        Ok(config)
    }

    /// Sets one rule's level (unknown ids are ignored).
    pub fn set(&mut self, id: &str, level: Level) {
        if let Some(info) = rule_info(id) {
            self.levels.insert(info.id, level);
        }
    }

    /// The level in force for a rule.
    pub fn level(&self, id: &str) -> Level {
        match self.levels.get(id) {
            Some(level) => *level,
            None => rule_info(id).map_or(Level::Error, |r| r.level),
        }
    }
}

fn config_error(name: &str, at: &str, msg: String) -> Error {
    Diagnostic::error(crate::diagnostics::codes::INVALID_CONFIG, name, at, msg).into()
}
