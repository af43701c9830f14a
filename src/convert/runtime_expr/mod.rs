//! OpenAPI runtime expressions (OAS 3.0.3 / 3.1.x), as used in callback keys.
//!
//! A callback key is either a *bare* expression (the whole string starts with `$`,
//! e.g. `$request.body#/url`) or a *template*: literal text with zero or more
//! expressions embedded in braces, e.g. `{$request.query.callbackUrl}/data`.
//!
//! Parsing keeps the exact source text, so `Display` reproduces the input byte for
//! byte; converters can rewrite keys without disturbing the parts they do not touch.
//!
//! Here: the parsed forms, and expressions printed back. `grammar` parses one expression,
//! `template` a whole callback key, `name` derives a channel-parameter name from an expression.

mod grammar;
mod name;
mod template;

#[cfg(test)]
mod tests;

use std::fmt;

use grammar::parse_expr;
use name::{sanitize_name, source_name};

/// Where a `$request.` / `$response.` expression reads its value from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `header.<token>`
    Header(String),
    /// `query.<name>`
    Query(String),
    /// `path.<name>`
    Path(String),
    /// `body` (`None`) or `body#<json-pointer>` (`Some`, pointer kept escaped as written).
    Body(Option<String>),
}

/// One runtime expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    Url,
    Method,
    StatusCode,
    Request(Source),
    Response(Source),
}

/// A piece of a template: literal text or an embedded `{expression}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Expr(Expression),
}

/// A parsed callback key. `bare` means the whole key was one expression without braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub bare: bool,
    pub segments: Vec<Segment>,
}

/// A parse failure, with the byte offset in the input where the problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl ExprError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        ExprError {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ExprError {}

impl Expression {
    /// Parses a string that must consist of exactly one expression (no braces).
    pub fn parse(s: &str) -> Result<Expression, ExprError> {
        parse_expr(s, 0)
    }

    /// A short readable name for a channel parameter, restricted to `[A-Za-z0-9_-]`.
    pub fn suggested_name(&self) -> String {
        let raw = match self {
            Expression::Url => "url".to_string(),
            Expression::Method => "method".to_string(),
            Expression::StatusCode => "statusCode".to_string(),
            Expression::Request(src) | Expression::Response(src) => source_name(src),
        };
        sanitize_name(&raw)
    }

    /// The source of a `$request.` / `$response.` expression, if any.
    pub fn source(&self) -> Option<&Source> {
        match self {
            Expression::Request(src) | Expression::Response(src) => Some(src),
            _ => None,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Header(n) => write!(f, "header.{n}"),
            Source::Query(n) => write!(f, "query.{n}"),
            Source::Path(n) => write!(f, "path.{n}"),
            Source::Body(None) => f.write_str("body"),
            Source::Body(Some(p)) => write!(f, "body#{p}"),
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expression::Url => f.write_str("$url"),
            Expression::Method => f.write_str("$method"),
            Expression::StatusCode => f.write_str("$statusCode"),
            Expression::Request(src) => write!(f, "$request.{src}"),
            Expression::Response(src) => write!(f, "$response.{src}"),
        }
    }
}
