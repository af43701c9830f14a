//! What a position in an OpenAPI document holds, and so what a `$ref` there stands for: the
//! kind of each child of a typed object, and which kinds have a `components` section.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Root,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Encoding,
    Header,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
    Components,
    Discriminator,
    /// Unknown structure: refs are inlined, data keywords skipped.
    Any,
}

/// Component sections and the kind of their entries.
pub(super) const SECTIONS: [(&str, Kind); 9] = [
    ("schemas", Kind::Schema),
    ("parameters", Kind::Parameter),
    ("responses", Kind::Response),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("examples", Kind::Example),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
    ("securitySchemes", Kind::SecurityScheme),
];

const OPERATIONS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Kind {
    pub(super) fn section(self) -> Option<&'static str> {
        SECTIONS.iter().find(|(_, k)| *k == self).map(|(s, _)| *s)
    }

    pub(super) fn of_section(name: &str) -> Option<Kind> {
        SECTIONS.iter().find(|(s, _)| *s == name).map(|(_, k)| *k)
    }
}

/// How the value under one key of a typed object is walked. Arrays are walked element by
/// element with the same kind, so `parameters`, `allOf` and friends are `One`.
pub(super) enum Child {
    Skip,
    One(Kind),
    /// A map from names to values of the kind.
    Entries(Kind),
    /// `discriminator.mapping`: values are schema names or references.
    Mapping,
}

pub(super) fn child(kind: Kind, key: &str) -> Child {
    use Child::{Entries, Mapping, One, Skip};
    use Kind::*;
    if key.starts_with("x-") {
        return match (kind, key) {
            (Root, "x-webhooks") => Entries(PathItem),
            (Operation, "x-codeSamples" | "x-code-samples") => One(Any),
            _ => Skip,
        };
    }
    match kind {
        Root => match key {
            "paths" => One(Paths),
            "webhooks" => Entries(PathItem),
            "components" => One(Components),
            _ => One(Any),
        },
        Paths | Callback => One(PathItem),
        Responses => One(Response),
        Components => match Kind::of_section(key) {
            Some(k) => Entries(k),
            None if key == "pathItems" => Entries(PathItem),
            None => One(Any),
        },
        PathItem => match key {
            "parameters" => One(Parameter),
            k if OPERATIONS.contains(&k) => One(Operation),
            _ => One(Any),
        },
        Operation => match key {
            "parameters" => One(Parameter),
            "requestBody" => One(RequestBody),
            "responses" => One(Responses),
            "callbacks" => Entries(Callback),
            _ => One(Any),
        },
        Parameter | Header => match key {
            "schema" => One(Schema),
            "content" => Entries(MediaType),
            "examples" => Entries(Example),
            "example" => Skip,
            _ => One(Any),
        },
        RequestBody => match key {
            "content" => Entries(MediaType),
            _ => One(Any),
        },
        Response => match key {
            "headers" => Entries(Header),
            "content" => Entries(MediaType),
            "links" => Entries(Link),
            _ => One(Any),
        },
        MediaType => match key {
            "schema" => One(Schema),
            "examples" => Entries(Example),
            "encoding" => Entries(Encoding),
            "example" => Skip,
            _ => One(Any),
        },
        Encoding => match key {
            "headers" => Entries(Header),
            _ => One(Any),
        },
        Example | Link => match key {
            "summary" | "description" => One(Any),
            _ => Skip,
        },
        SecurityScheme => One(Any),
        Schema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
            | "dependencies" => Entries(Schema),
            "items"
            | "additionalItems"
            | "prefixItems"
            | "additionalProperties"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "contentSchema" => One(Schema),
            "discriminator" => One(Discriminator),
            "example" | "examples" | "default" | "enum" | "const" => Skip,
            _ => One(Any),
        },
        Discriminator => match key {
            "mapping" => Mapping,
            _ => Skip,
        },
        Any => match key {
            "example" | "examples" | "default" | "enum" | "const" | "value" => Skip,
            _ => One(Any),
        },
    }
}

/// Whether the typed walk of the root visits the node at `ptr` anyway.
pub(super) fn naturally_walked(ptr: &str) -> bool {
    let mut tokens = ptr.split('/').skip(1);
    match tokens.next() {
        None | Some("paths" | "webhooks" | "x-webhooks") => true,
        Some("components") => tokens
            .next()
            .is_some_and(|s| s == "pathItems" || Kind::of_section(s).is_some()),
        Some(_) => false,
    }
}
