//! Contract checks for CI: webhook and callback rules ([`lint`]), drift between an OpenAPI
//! document and its AsyncAPI twin ([`check`]), breaking changes for subscribers ([`diff`]) and
//! the value comparison they share ([`compare`]).

pub mod check;
pub mod compare;
pub mod diff;
pub mod lint;
