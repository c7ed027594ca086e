//! The words the site writes for declared values, where pages and
//! `keps.json` must agree: a KEP owner, a beta feature gate's default.
//!
//! Not page texts in general (each page's own are in its file), and not
//! parsing: what the words are read from is `crate::declared`.

use crate::declared::Owner;
use crate::domain::{GateDefault, Stage};

/// A KEP owner as written on pages and in `keps.json`: the login (without
/// `@`) of a person, or the SIG's name (`sig-network`) for a SIG.
pub fn owner(o: &Owner) -> String {
    match o {
        Owner::Person(l) => l.to_string(),
        Owner::Group(s) => s.to_string(),
    }
}

/// A beta feature gate's default: `on` or `off` (`keps.json`'s
/// `targets[].gate`).
pub fn gate(g: GateDefault) -> &'static str {
    match g {
        GateDefault::On => "on",
        GateDefault::Off => "off",
    }
}

/// A stage a tracking issue declares, with its gate when it names one:
/// `beta (gate on)`, `alpha`.
pub fn declared_stage(stage: Stage, g: Option<GateDefault>) -> String {
    match g {
        Some(g) => format!("{stage} (gate {})", gate(g)),
        None => stage.to_string(),
    }
}

/// One change in a feature gate's history: `v1.33: beta, on by default`
/// (`, locked` when it can no longer be changed).
pub fn gate_change(s: &crate::gates::GateSpec) -> String {
    let default = if s.default { "on" } else { "off" };
    let locked = if s.locked { ", locked" } else { "" };
    format!(
        "{}: {}, {default} by default{locked}",
        s.version,
        s.pre_release.stage()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Login, SigName};

    #[test]
    fn owners_and_gates() {
        let person = Owner::Person(Login::parse("@rata").unwrap());
        assert_eq!(owner(&person), "rata");
        let sig = Owner::Group(SigName::parse("SIG-Network").unwrap());
        assert_eq!(owner(&sig), "sig-network");
        assert_eq!(gate(GateDefault::Off), "off");
        assert_eq!(
            declared_stage(Stage::Beta, Some(GateDefault::On)),
            "beta (gate on)"
        );
        assert_eq!(declared_stage(Stage::Alpha, None), "alpha");
    }
}
