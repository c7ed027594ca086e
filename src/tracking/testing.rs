//! Helpers for the unit tests of `tracking`: a tracking issue from its
//! fields, and short views of a [`Parsed`] to compare with.

use super::*;
use crate::domain::{GateDefault, K8sRelease, Login, Stage};

/// The references heading as the issue form writes it, with a blank line.
pub(super) const HEAD: &str = "### KEP/SIG-Node References\n\n";

/// A target as (stage, gate, release), the way the tests compare them.
pub(super) type TargetView = (Stage, Option<GateDefault>, Option<K8sRelease>);

/// Parses a `[SIG-Node]` issue whose body is the heading and `body_fields`.
pub(super) fn tracking(body_fields: &str) -> Parsed {
    parse("[SIG-Node]: something", &format!("{HEAD}{body_fields}"))
}

/// The KEP numbers as plain numbers.
pub(super) fn nums(p: &Parsed) -> Vec<u32> {
    p.kep_numbers.iter().map(|n| n.get()).collect()
}

/// Logins as strings.
pub(super) fn logins(v: &[Login]) -> Vec<&str> {
    v.iter().map(Login::as_str).collect()
}

/// Owners as strings, groups as `group:sig-name`.
pub(super) fn owners(p: &Parsed) -> Vec<String> {
    p.owners
        .iter()
        .map(|o| match o {
            Owner::Person(l) => l.to_string(),
            Owner::Group(g) => format!("group:{g}"),
        })
        .collect()
}

/// Whether a warning is about the field written `field`.
pub(super) fn warned(p: &Parsed, field: &str) -> bool {
    p.warnings.iter().any(|w| w.field == field)
}

/// A target to compare with, the release as (major, minor).
pub(super) fn target(
    stage: Stage,
    gate: Option<GateDefault>,
    rel: Option<(u16, u16)>,
) -> TargetView {
    (stage, gate, rel.map(|(a, b)| K8sRelease::new(a, b)))
}

/// The targets without their raw text.
pub(super) fn targets(p: &Parsed) -> Vec<TargetView> {
    p.targets
        .iter()
        .map(|t| (t.stage, t.gate, t.k8s_release))
        .collect()
}

/// A tracking issue whose only fields are `KEP(s): 1` and a shepherd.
pub(super) fn shepherd_field(value: &str) -> Parsed {
    tracking(&format!("- KEP(s): 1\n- KEP-Shepherd: {value}\n"))
}

/// The first field known as `key`; panics when there is none.
pub(super) fn field(p: &Parsed, key: FieldKey) -> &RawField {
    p.fields
        .iter()
        .find(|f| f.known == Some(key))
        .expect("field present")
}
