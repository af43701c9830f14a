//! Lint's view of the event model (`openapi::events`): the webhook and callback operations
//! for the structure rules, and every Path Item and operation definition, once each, for the
//! example walk.

use std::collections::HashSet;

use serde_json::Value;

use super::example_walk::{Context, ExampleWalk};
use super::openapi_rules::{check_callback_key, At, OpenApiRules};
use super::rules;
use crate::openapi::events::{self, FindingKind, Kind};

/// Whether an operation is checked as a webhook or as a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Role {
    Webhook,
    Callback,
}

/// Webhooks first, then the callbacks of paths and of components, as before the model.
const RULE_SECTIONS: [&str; 4] = ["webhooks", "x-webhooks", "paths", "components"];

impl OpenApiRules<'_, '_, '_> {
    pub(super) fn walk_events(&mut self) {
        let events = events::walk_with_components(self.root);
        for f in &events.findings {
            if matches!(f.kind, FindingKind::BrokenRef | FindingKind::RefCycle) {
                let msg = f.message.clone();
                self.sink.add(rules::UNRESOLVED_REF, &f.pointer, None, msg);
            }
        }
        for section in RULE_SECTIONS {
            for item in events.items.iter().filter(|i| i.section == section) {
                if let (Kind::Callback, Some(expr)) = (item.kind, item.expression) {
                    check_callback_key(self.sink, &item.written, expr);
                }
            }
            for op in events.operations.iter().filter(|o| o.section == section) {
                let role = match op.kind {
                    Kind::Path => continue,
                    Kind::Webhook => Role::Webhook,
                    Kind::Callback => Role::Callback,
                };
                // A shared definition is checked once per role.
                if !self.walked.insert((op.definition.clone(), role)) {
                    continue;
                }
                let at = At {
                    usage: op.pointer.clone(),
                    def: op.definition.clone(),
                };
                self.operation(role, op.method, op.operation, &at);
            }
        }
    }
}

impl ExampleWalk<'_> {
    /// Parameters of every Path Item and every operation, each definition once.
    pub(super) fn openapi(&mut self) {
        let Some(root) = self.root.as_object() else {
            return;
        };
        let events = events::walk_with_components(self.root);
        let mut seen: HashSet<&str> = HashSet::new();
        for item in &events.items {
            if seen.insert(&item.definition) {
                let value: &Value = item.value;
                self.within(Context::Request, |w| w.parameters(&item.definition, value));
            }
        }
        for op in &events.operations {
            if seen.insert(&op.definition) {
                self.operation(&op.definition, op.operation);
            }
        }
        if let Some(Value::Object(components)) = root.get("components") {
            self.components(components);
        }
    }
}
