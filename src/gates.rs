//! Kubernetes' feature-gate history: what really shipped.
//!
//! Kubernetes generates `test/compatibility_lifecycle/reference/
//! versioned_feature_list.yaml` from its source: per feature gate, the
//! versions at which its stage (`Alpha`, `Beta`, `GA`, `Deprecated`), its
//! default and its lock changed. A kep.yaml is a plan; this file is the
//! record. This module reads it and answers "what was gate G in release R".
//!
//! What it is not: it does not join gates to KEPs (the model does, through
//! kep.yaml `feature-gates`), and it knows nothing about releases after the
//! newest version the file names: there it answers `None`, not a guess.
//! Gates removed from Kubernetes after GA are not in the file at all.

use crate::domain::{K8sRelease, Stage};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A gate's stage as Kubernetes writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum PreRelease {
    /// Alpha: off by default.
    Alpha,
    /// Beta: on or off by default.
    Beta,
    /// Generally available.
    #[serde(rename = "GA")]
    Ga,
    /// On its way out.
    Deprecated,
}

impl PreRelease {
    /// The KEP stage this gate stage stands for.
    pub fn stage(self) -> Stage {
        match self {
            PreRelease::Alpha => Stage::Alpha,
            PreRelease::Beta => Stage::Beta,
            PreRelease::Ga => Stage::Stable,
            PreRelease::Deprecated => Stage::Deprecated,
        }
    }
}

/// One change of a gate: from `version` on, this stage and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateSpec {
    /// The Kubernetes release of the change.
    pub version: K8sRelease,
    /// Whether the gate is on by default.
    pub default: bool,
    /// Whether the gate can no longer be set away from its default.
    pub locked: bool,
    /// The gate's stage.
    pub pre_release: PreRelease,
}

/// One gate and its changes, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateHistory {
    /// The gate's name as Kubernetes spells it.
    pub name: String,
    /// Its changes, in release order (compared as numbers: 1.8 < 1.16).
    pub specs: Vec<GateSpec>,
}

impl GateHistory {
    /// The gate in release `r`: its latest change at or before `r`.
    /// `None` before the gate existed.
    pub fn at(&self, r: K8sRelease) -> Option<&GateSpec> {
        self.specs.iter().rev().find(|s| s.version <= r)
    }
}

/// Every gate of the file, found by name without case (kep.yaml spells
/// some differently: `RuntimeClassInImageCriApi` for `...CriAPI`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureGates {
    gates: BTreeMap<String, GateHistory>,
    newest: Option<K8sRelease>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawGate {
    name: String,
    #[serde(default)]
    versioned_specs: Vec<RawSpec>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSpec {
    version: String,
    default: bool,
    #[serde(default)]
    lock_to_default: bool,
    pre_release: PreRelease,
}

impl FeatureGates {
    /// Reads the file's text. An error says where and what is wrong; a
    /// gate entry with an unreadable version is an error too, not skipped.
    pub fn parse(text: &str) -> Result<FeatureGates, String> {
        let raw: Vec<RawGate> = serde_saphyr::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("line {}, column {}: ", l.line(), l.column()))
                .unwrap_or_default();
            format!(
                "{at}{}",
                e.to_string().lines().next().unwrap_or("invalid YAML")
            )
        })?;
        let mut gates = BTreeMap::new();
        for g in raw {
            let mut specs = g
                .versioned_specs
                .iter()
                .map(|s| spec(&g.name, s))
                .collect::<Result<Vec<_>, _>>()?;
            specs.sort_by_key(|s| s.version);
            let history = GateHistory {
                name: g.name.clone(),
                specs,
            };
            gates.insert(g.name.to_ascii_lowercase(), history);
        }
        let newest = gates
            .values()
            .flat_map(|g| g.specs.iter().map(|s| s.version))
            .max();
        Ok(FeatureGates { gates, newest })
    }

    /// The gate named `name`, compared without case.
    pub fn get(&self, name: &str) -> Option<&GateHistory> {
        self.gates.get(&name.to_ascii_lowercase())
    }

    /// The newest release the file names: what it says about later ones
    /// is unknown.
    pub fn newest(&self) -> Option<K8sRelease> {
        self.newest
    }

    /// The number of gates in the file.
    pub fn len(&self) -> usize {
        self.gates.len()
    }

    /// Whether the file names no gate.
    pub fn is_empty(&self) -> bool {
        self.gates.is_empty()
    }
}

fn spec(gate: &str, s: &RawSpec) -> Result<GateSpec, String> {
    let version = K8sRelease::parse(&s.version)
        .ok_or_else(|| format!("gate {gate}: version {:?} is not a release", s.version))?;
    Ok(GateSpec {
        version,
        default: s.default,
        locked: s.lock_to_default,
        pre_release: s.pre_release,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# generated\n\n- name: UserNamespacesSupport\n  versionedSpecs:\n  - default: false\n    lockToDefault: false\n    preRelease: Alpha\n    version: \"1.25\"\n  - default: true\n    lockToDefault: false\n    preRelease: Beta\n    version: \"1.33\"\n  - default: false\n    lockToDefault: false\n    preRelease: Beta\n    version: \"1.30\"\n- name: Old\n  versionedSpecs:\n  - default: true\n    lockToDefault: true\n    preRelease: GA\n    version: \"1.8\"\n  - default: true\n    lockToDefault: true\n    preRelease: Deprecated\n    version: \"1.16\"\n";

    fn r(m: u16) -> K8sRelease {
        K8sRelease::new(1, m)
    }

    #[test]
    fn a_gate_in_each_release() {
        let g = FeatureGates::parse(FILE).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g.newest(), Some(r(33)));
        let userns = g.get("usernamespacessupport").unwrap();
        assert_eq!(userns.at(r(24)), None);
        let at = |m| userns.at(r(m)).map(|s| (s.pre_release.stage(), s.default));
        assert_eq!(at(25), Some((Stage::Alpha, false)));
        assert_eq!(at(30), Some((Stage::Beta, false)));
        assert_eq!(at(32), Some((Stage::Beta, false)));
        assert_eq!(at(33), Some((Stage::Beta, true)));
        // Versions compare as numbers: 1.8 before 1.16.
        let old = g.get("Old").unwrap();
        assert_eq!(old.specs[0].version, r(8));
        assert_eq!(old.at(r(20)).unwrap().pre_release, PreRelease::Deprecated);
    }

    #[test]
    fn bad_files_say_where() {
        let e = FeatureGates::parse("- name: [x\n").unwrap_err();
        assert!(e.starts_with("line "), "{e}");
        let e = FeatureGates::parse(
            "- name: G\n  versionedSpecs:\n  - default: true\n    preRelease: Beta\n    version: soon\n",
        )
        .unwrap_err();
        assert_eq!(e, "gate G: version \"soon\" is not a release");
    }
}
