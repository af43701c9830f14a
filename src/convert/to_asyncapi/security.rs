//! Operation security: OpenAPI requirements as AsyncAPI security schemes, where they can be.

use serde_json::Value;

use super::input::field;
use super::{Converter, Obj};
use crate::asyncapi::{self, reference};
use crate::document::pointer;

impl Converter<'_> {
    pub(super) fn operation_security(&self, op: &Obj, out: &mut Obj, record: &mut Obj) {
        let Some(security) = field(op, "security") else {
            return;
        };
        match self.security_list(security) {
            Some(list) => {
                out.insert("security".into(), Value::Array(list));
            }
            None => {
                record.insert("security".into(), security.clone());
            }
        }
    }

    /// OpenAPI requirements -> AsyncAPI alternatives, when every requirement names one scheme.
    fn security_list(&self, security: &Value) -> Option<Vec<Value>> {
        let schemes = self
            .root
            .get("components")?
            .get("securitySchemes")
            .and_then(Value::as_object);
        let mut out = Vec::new();
        for requirement in security.as_array()? {
            let req = requirement.as_object()?;
            if req.len() != 1 {
                return None;
            }
            let (name, scopes) = req.iter().next()?;
            let scheme = schemes?.get(name)?;
            let scopes = scopes.as_array()?;
            if scopes.is_empty() {
                out.push(reference(&pointer::join([
                    "components",
                    "securitySchemes",
                    name.as_str(),
                ])));
                continue;
            }
            let ty = scheme.get("type").and_then(Value::as_str);
            if !matches!(ty, Some("oauth2") | Some("openIdConnect")) {
                return None;
            }
            let mut inline = asyncapi::security_scheme_to_asyncapi(scheme)
                .as_object()?
                .clone();
            inline.insert("scopes".into(), Value::Array(scopes.clone()));
            inline.insert(
                "x-openapi-security-scheme-name".into(),
                Value::String(name.clone()),
            );
            out.push(Value::Object(inline));
        }
        Some(out)
    }
}
