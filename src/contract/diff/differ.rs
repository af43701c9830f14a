//! Comparing two event surfaces: events, operations, request bodies, parameters, responses
//! and security. Schemas are compared in `schema.rs`.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::model::{Event, Model, Op, Owned, Param};
use super::schema::Node;
use super::{is_breaking, kinds, Change, Dir};

pub(super) struct Differ<'o, 'n> {
    pub(super) old: &'o Value,
    pub(super) new: &'n Value,
    pub(super) out: Vec<Change>,
    /// Schema pairs being compared, outermost first: a recursive schema stops here.
    pub(super) stack: Vec<(String, String)>,
}

/// Where in an event a change is: the event, the operation and the place within it.
#[derive(Clone)]
pub(super) struct Ctx {
    event: String,
    operation: Option<String>,
    place: String,
}

impl<'o, 'n> Differ<'o, 'n> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        kind: &'static str,
        dir: Dir,
        ctx: &Ctx,
        old: Option<&str>,
        new: Option<&str>,
        what: String,
    ) {
        let message = if ctx.place.is_empty() {
            what
        } else {
            format!("{what} in {}", ctx.place)
        };
        self.out.push(Change {
            kind,
            breaking: is_breaking(kind, dir),
            event: ctx.event.clone(),
            operation: ctx.operation.clone(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            message,
        });
    }

    pub(super) fn models(&mut self, old: &Model<'o>, new: &Model<'n>) {
        let renamed = url_changes(old, new);
        for (key, o) in &old.events {
            let ctx = Ctx {
                event: o.label.clone(),
                operation: None,
                place: String::new(),
            };
            match (new.events.get(key), renamed.get(key.as_str())) {
                (Some(n), _) => self.event(o, n),
                (None, Some(new_key)) => {
                    let n = &new.events[*new_key];
                    let (old_url, new_url) = (url_of(o), url_of(n));
                    let what = format!("the callback URL changed from `{old_url}` to `{new_url}`");
                    self.push(
                        kinds::CALLBACK_URL_CHANGED,
                        Dir::Receives,
                        &ctx,
                        Some(&o.at),
                        Some(&n.at),
                        what,
                    );
                    self.event(o, n);
                }
                (None, None) => {
                    self.push(
                        kinds::EVENT_REMOVED,
                        Dir::Receives,
                        &ctx,
                        Some(&o.at),
                        None,
                        format!("{} was removed", o.label),
                    );
                }
            }
        }
        let renamed_to: HashSet<&str> = renamed.values().copied().collect();
        let added = new
            .events
            .iter()
            .filter(|(k, _)| !old.events.contains_key(*k) && !renamed_to.contains(k.as_str()));
        for (_, n) in added {
            let ctx = Ctx {
                event: n.label.clone(),
                operation: None,
                place: String::new(),
            };
            self.push(
                kinds::EVENT_ADDED,
                Dir::Receives,
                &ctx,
                None,
                Some(&n.at),
                format!("{} was added", n.label),
            );
        }
    }

    fn event(&mut self, o: &Event<'o>, n: &Event<'n>) {
        for (method, o_op) in &o.ops {
            let ctx = Ctx {
                event: n.label.clone(),
                operation: Some(method.clone()),
                place: String::new(),
            };
            match n.ops.get(method) {
                Some(n_op) => self.operation(&ctx, o_op, n_op),
                None => self.push(
                    kinds::OPERATION_REMOVED,
                    Dir::Receives,
                    &ctx,
                    Some(&o_op.at),
                    None,
                    format!("operation `{method}` was removed"),
                ),
            }
        }
        for (method, n_op) in n.ops.iter().filter(|(m, _)| !o.ops.contains_key(*m)) {
            let ctx = Ctx {
                event: n.label.clone(),
                operation: Some(method.clone()),
                place: String::new(),
            };
            self.push(
                kinds::OPERATION_ADDED,
                Dir::Receives,
                &ctx,
                None,
                Some(&n_op.at),
                format!("operation `{method}` was added"),
            );
        }
    }

    fn operation(&mut self, ctx: &Ctx, o: &Op<'o>, n: &Op<'n>) {
        if !o.request.is_empty() && n.request.is_empty() {
            self.push(
                kinds::PAYLOAD_REMOVED,
                Dir::Receives,
                ctx,
                Some(&o.at),
                Some(&n.at),
                "the request body was removed".into(),
            );
        } else {
            self.contents(ctx, "request body", Dir::Receives, &o.request, &n.request);
        }
        self.params(ctx, &o.params, &n.params);
        self.responses(ctx, o, n);
        self.security(ctx, o, n);
    }

    fn responses(&mut self, ctx: &Ctx, o: &Op<'o>, n: &Op<'n>) {
        for (code, (o_at, o_content)) in &o.responses {
            let Some((_, n_content)) = n.responses.get(code) else {
                let what = format!("response `{code}` was removed: subscribers answering with it are no longer understood as documented");
                self.push(
                    kinds::RESPONSE_REMOVED,
                    Dir::Sends,
                    ctx,
                    Some(o_at),
                    None,
                    what,
                );
                continue;
            };
            self.contents(
                ctx,
                &format!("response `{code}`"),
                Dir::Sends,
                o_content,
                n_content,
            );
        }
        for (code, (n_at, _)) in n
            .responses
            .iter()
            .filter(|(c, _)| !o.responses.contains_key(*c))
        {
            self.push(
                kinds::RESPONSE_ADDED,
                Dir::Sends,
                ctx,
                None,
                Some(n_at),
                format!("response `{code}` was added"),
            );
        }
    }

    fn security(&mut self, ctx: &Ctx, o: &Op<'o>, n: &Op<'n>) {
        for name in o.security.difference(&n.security) {
            self.push(kinds::SECURITY_REMOVED, Dir::Receives, ctx, Some(&o.at), Some(&n.at), format!("security scheme `{name}` was removed: subscribers verifying it will reject the calls"));
        }
        for name in n.security.difference(&o.security) {
            self.push(
                kinds::SECURITY_ADDED,
                Dir::Receives,
                ctx,
                Some(&o.at),
                Some(&n.at),
                format!("security scheme `{name}` was added"),
            );
        }
    }

    fn contents(
        &mut self,
        ctx: &Ctx,
        place: &str,
        dir: Dir,
        o: &BTreeMap<String, Owned<'o>>,
        n: &BTreeMap<String, Owned<'n>>,
    ) {
        for (media, o_mt) in o {
            let ctx = Ctx {
                place: format!("{place} `{media}`"),
                ..ctx.clone()
            };
            match n.get(media) {
                Some(n_mt) => {
                    if let (Some((os, oa)), Some((ns, na))) = (&o_mt.schema, &n_mt.schema) {
                        self.schema(
                            &ctx,
                            dir,
                            Node { value: os, at: oa },
                            Node { value: ns, at: na },
                            "",
                            0,
                        );
                    }
                }
                None => self.push(
                    kinds::MEDIA_TYPE_REMOVED,
                    dir,
                    &ctx,
                    Some(&o_mt.at),
                    None,
                    format!("`{media}` was removed"),
                ),
            }
        }
        for (media, n_mt) in n.iter().filter(|(m, _)| !o.contains_key(*m)) {
            let ctx = Ctx {
                place: format!("{place} `{media}`"),
                ..ctx.clone()
            };
            self.push(
                kinds::MEDIA_TYPE_ADDED,
                dir,
                &ctx,
                None,
                Some(&n_mt.at),
                format!("`{media}` was added"),
            );
        }
    }

    fn params(
        &mut self,
        ctx: &Ctx,
        o: &BTreeMap<String, Param<'o>>,
        n: &BTreeMap<String, Param<'n>>,
    ) {
        for (name, op) in o {
            let pctx = Ctx {
                place: name.clone(),
                ..ctx.clone()
            };
            let Some(np) = n.get(name) else {
                self.push(
                    kinds::PARAMETER_REMOVED,
                    Dir::Receives,
                    ctx,
                    Some(&op.at),
                    None,
                    format!("{name} was removed"),
                );
                continue;
            };
            if op.required && !np.required {
                self.push(
                    kinds::REQUIRED_REMOVED,
                    Dir::Receives,
                    ctx,
                    Some(&op.at),
                    Some(&np.at),
                    format!("{name} is no longer required"),
                );
            }
            if let (Some((os, oa)), Some((ns, na))) = (&op.schema, &np.schema) {
                self.schema(
                    &pctx,
                    Dir::Receives,
                    Node { value: os, at: oa },
                    Node { value: ns, at: na },
                    "",
                    0,
                );
            }
        }
        for (name, np) in n.iter().filter(|(k, _)| !o.contains_key(*k)) {
            self.push(
                kinds::PARAMETER_ADDED,
                Dir::Receives,
                ctx,
                None,
                Some(&np.at),
                format!("{name} was added"),
            );
        }
    }

    /// `push`, breaking also when `force`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_forced(
        &mut self,
        kind: &'static str,
        dir: Dir,
        force: bool,
        ctx: &Ctx,
        old: Option<&str>,
        new: Option<&str>,
        what: String,
    ) {
        self.push(kind, dir, ctx, old, new, what);
        if let Some(last) = self.out.last_mut() {
            last.breaking |= force;
        }
    }
}

/// Callback events whose URL expression alone changed: same parent and callback name, one
/// expression removed and one added. Old key -> new key.
fn url_changes<'m>(old: &'m Model, new: &'m Model) -> BTreeMap<&'m str, &'m str> {
    let only = |a: &'m Model, b: &Model| -> BTreeMap<&'m str, Vec<&'m str>> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (key, e) in a.events.iter().filter(|(k, _)| !b.events.contains_key(*k)) {
            if let Some((name, _)) = &e.callback {
                by_name.entry(name.as_str()).or_default().push(key.as_str());
            }
        }
        by_name
    };
    let (removed, added) = (only(old, new), only(new, old));
    let mut out = BTreeMap::new();
    for (name, keys) in &removed {
        if let (1, Some(new_keys)) = (keys.len(), added.get(name)) {
            if new_keys.len() == 1 {
                out.insert(keys[0], new_keys[0]);
            }
        }
    }
    out
}

fn url_of(e: &Event) -> String {
    e.callback
        .as_ref()
        .map(|(_, u)| u.clone())
        .unwrap_or_default()
}
