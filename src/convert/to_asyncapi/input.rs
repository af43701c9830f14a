//! The input as the walk gets it: borrowed nodes, or owned ones it may move into the output,
//! and small look-ups on them.

use std::borrow::Cow;

use serde_json::Value;

use super::Obj;

/// A node of the input as the walk gets it: borrowed, and then copied where the output
/// uses it, or owned (the webhooks of a document given to
/// [`convert_owned`](super::convert_owned)), and then moved there.
pub(super) enum In<'v> {
    Ref(&'v Value),
    Own(Value),
}

impl<'v> In<'v> {
    pub(super) fn value(&self) -> &Value {
        match self {
            In::Ref(v) => v,
            In::Own(v) => v,
        }
    }

    pub(super) fn as_object(&self) -> Option<&Obj> {
        self.value().as_object()
    }

    pub(super) fn into_value(self) -> Value {
        match self {
            In::Ref(v) => v.clone(),
            In::Own(v) => v,
        }
    }

    /// A member of an object: referred to when borrowed; when owned, moved out (`null` is
    /// left in its place, so the object keeps its keys in order).
    pub(super) fn take(&mut self, key: &str) -> Option<In<'v>> {
        match self {
            In::Ref(Value::Object(m)) => field(m, key).map(In::Ref),
            In::Own(Value::Object(m)) => field_mut(m, key).map(|v| In::Own(std::mem::take(v))),
            _ => None,
        }
    }

    /// The members of an object, in order (none for any other value).
    pub(super) fn into_entries(self) -> Entries<'v> {
        match self {
            In::Ref(Value::Object(m)) => Entries::Ref(m.iter()),
            In::Own(Value::Object(m)) => Entries::Own(m.into_iter()),
            _ => Entries::Empty,
        }
    }
}

pub(super) enum Entries<'v> {
    Ref(serde_json::map::Iter<'v>),
    Own(serde_json::map::IntoIter),
    Empty,
}

impl<'v> Iterator for Entries<'v> {
    type Item = (Cow<'v, str>, In<'v>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Ref(it) => it
                .next()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), In::Ref(v))),
            Entries::Own(it) => it.next().map(|(k, v)| (Cow::Owned(k), In::Own(v))),
            Entries::Empty => None,
        }
    }
}

/// A member of a small object: found by comparing keys, cheaper than hashing the key
/// (objects of the input are mostly small; larger ones are looked up as usual).
pub(super) fn field<'m>(m: &'m Obj, key: &str) -> Option<&'m Value> {
    if m.len() > 8 {
        return m.get(key);
    }
    m.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// [`field`], mutable.
fn field_mut<'m>(m: &'m mut Obj, key: &str) -> Option<&'m mut Value> {
    if m.len() > 8 {
        return m.get_mut(key);
    }
    m.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// An object without some of its members (other values: an empty object).
pub(super) fn object_without(node: In<'_>, skip: &[&str]) -> Obj {
    match node {
        In::Own(Value::Object(mut m)) => {
            for k in skip {
                m.shift_remove(*k);
            }
            m
        }
        In::Ref(Value::Object(m)) => m
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Obj::new(),
    }
}
