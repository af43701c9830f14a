//! Output of `hookbridge diff`: a markdown changelog section or JSON.

use super::Change;

/// Output formats of `hookbridge diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Markdown,
    Json,
}

pub fn render(changes: &[Change], format: OutputFormat) -> String {
    match format {
        OutputFormat::Markdown => render_markdown(changes),
        OutputFormat::Json => render_json(changes),
    }
}

/// A changelog section: breaking changes first, each line naming the event and operation.
pub fn render_markdown(changes: &[Change]) -> String {
    let mut out = String::from("## Webhook and callback changes\n\n");
    if changes.is_empty() {
        out.push_str("No changes to webhooks or callbacks.\n");
        return out;
    }
    for (title, breaking) in [
        ("Breaking changes for subscribers", true),
        ("Other changes", false),
    ] {
        let list: Vec<&Change> = changes.iter().filter(|c| c.breaking == breaking).collect();
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("### {title}\n\n"));
        for c in list {
            let op = c
                .operation
                .as_deref()
                .map(|m| format!(" `{m}`"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- **{}**{op}: {} (`{}`)\n",
                c.event, c.message, c.kind
            ));
        }
        out.push('\n');
    }
    out
}

/// `{"changes": [...], "breaking": n, "total": n}`.
pub fn render_json(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let doc =
        serde_json::json!({ "changes": changes, "breaking": breaking, "total": changes.len() });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
