//! The event model (`openapi::events`) as the walk follows it: owned, so that the walk may
//! move values out of a document given away while it follows the model's order.

use crate::openapi::events::{self, Finding};
use serde_json::Value;

/// A Path Item of the model: a path, a webhook, or one expression of a callback.
pub(super) struct Item {
    /// `paths`, `webhooks` or `x-webhooks`.
    pub(super) section: String,
    /// The path, webhook name or callback name.
    pub(super) name: String,
    pub(super) expression: Option<String>,
    /// The `$ref` the Path Item was reached through, if it was one.
    pub(super) item_ref: Option<String>,
    /// Indices into [`Plan::ops`], in method order.
    pub(super) ops: Vec<usize>,
    /// Index into [`Plan::callbacks`] of the callback it is an expression of.
    pub(super) callback: Option<usize>,
}

pub(super) struct Op {
    /// The Path Item field, or the `additionalOperations` key when `additional`.
    pub(super) method: String,
    pub(super) additional: bool,
    /// Where the operation is defined (`$ref`s followed).
    pub(super) definition: String,
    /// Indices into [`Plan::callbacks`], in document order.
    pub(super) callbacks: Vec<usize>,
}

pub(super) struct Callback {
    pub(super) name: String,
    /// Indices into [`Plan::items`]: its expressions that are Path Items, in order.
    pub(super) items: Vec<usize>,
}

/// Every webhook, callback and path of the document, as the model found them.
pub(super) struct Plan {
    pub(super) items: Vec<Item>,
    pub(super) ops: Vec<Op>,
    pub(super) callbacks: Vec<Callback>,
    /// What the model could not read, in walk order.
    pub(super) findings: Vec<Finding>,
}

impl Plan {
    pub(super) fn of(doc: &Value) -> Plan {
        let model = events::walk(doc);
        let mut items: Vec<Item> = model
            .items
            .iter()
            .map(|i| Item {
                section: i.section.to_string(),
                name: i.name.to_string(),
                expression: i.expression.map(str::to_string),
                item_ref: i.item_ref.map(str::to_string),
                ops: Vec::new(),
                callback: i.callback,
            })
            .collect();
        let mut callbacks: Vec<Callback> = model
            .callbacks
            .iter()
            .map(|c| Callback {
                name: c.name.to_string(),
                items: Vec::new(),
            })
            .collect();
        let mut ops: Vec<Op> = Vec::with_capacity(model.operations.len());
        for (index, o) in model.operations.iter().enumerate() {
            items[o.item].ops.push(index);
            ops.push(Op {
                method: o.method.to_string(),
                additional: o.additional,
                definition: o.definition.clone(),
                callbacks: Vec::new(),
            });
        }
        for (index, c) in model.callbacks.iter().enumerate() {
            if let Some(parent) = c.parent {
                ops[parent].callbacks.push(index);
            }
        }
        for (index, i) in model.items.iter().enumerate() {
            if let Some(c) = i.callback {
                callbacks[c].items.push(index);
            }
        }
        Plan {
            items,
            ops,
            callbacks,
            findings: model.findings,
        }
    }

    /// The operation of Path Item `item` for `method` (an `additionalOperations` key when
    /// `additional`), if the model read one.
    pub(super) fn op(&self, item: usize, (method, additional): (&str, bool)) -> Option<usize> {
        let ops = &self.items[item].ops;
        ops.iter()
            .copied()
            .find(|&o| self.ops[o].method == method && self.ops[o].additional == additional)
    }
}
