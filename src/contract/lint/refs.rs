//! Following local `$ref`s to the object they name and where it is defined, with lint's
//! wording for what cannot be followed (through the one reference layer).

use serde_json::Value;

use crate::document::refs::local::{self, RefError};

/// Follows local `$ref`s from `value` (found at `at`): the target and where it is defined.
pub(crate) fn follow<'a>(
    root: &'a Value,
    value: &'a Value,
    at: &str,
) -> Result<(&'a Value, String), String> {
    match local::follow(root, value) {
        Ok(target) => Ok((target.value, target.location(at))),
        Err(RefError::External(r)) => Err(format!("`$ref` `{r}` points to another file: lint the file that references it, so hookbridge bundles it")),
        Err(e) => Err(e.message()),
    }
}
