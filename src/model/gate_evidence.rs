//! A feature-gate name in an issue's text as evidence for its KEP.
//!
//! An issue whose stated KEP numbers name no kep.yaml (a typo, a KEP too
//! new for the data) may still name the KEP's feature gate: `ImageVolume`,
//! `UserNamespacesSupport`. When it names gates of exactly one KEP, the
//! model joins it to that KEP and records the join, which `check` reports.
//!
//! Only names that cannot be common words count: at least
//! [`MIN_GATE_NAME`] characters with both upper- and lower-case letters,
//! in the text as a whole word. kep.yaml names are compared without case,
//! as `crate::gates` compares them with Kubernetes' list. A gate listed by
//! several KEPs, or gates of several KEPs named together, join nothing.

use super::KepEntry;
use crate::domain::KepNumber;
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// The shortest gate name that counts as evidence.
pub const MIN_GATE_NAME: usize = 8;

/// An issue joined to a KEP by a feature-gate name in its text, because
/// none of the KEP numbers it states has a kep.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateJoinedIssue {
    /// The issue's number.
    pub issue: u64,
    /// The KEP numbers the issue states (none has a kep.yaml).
    pub stated: Vec<KepNumber>,
    /// The KEP it is joined to instead.
    pub kep: KepNumber,
    /// The gate named, as that KEP's kep.yaml spells it.
    pub gate: String,
}

/// Gate names kep.yaml templates and placeholders use, not gates.
pub fn is_placeholder_gate(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "na" | "n/a" | "myfeature"
    )
}

/// Whether a word can stand for a gate: long enough, with both cases.
fn gate_like(word: &str) -> bool {
    word.len() >= MIN_GATE_NAME
        && word.chars().any(|c| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase())
}

/// The gate names of kep.yaml files, by lower-case name: the one KEP that
/// lists each (with its spelling), `None` when several KEPs list it.
#[derive(Debug, Default)]
pub struct GateIndex(HashMap<String, Option<(KepNumber, String)>>);

impl GateIndex {
    /// Indexes the gates of every KEP that has a kep.yaml (the live file).
    pub fn new(keps: &BTreeMap<KepNumber, KepEntry>) -> GateIndex {
        let mut index: HashMap<String, Option<(KepNumber, String)>> = HashMap::new();
        let named = keps.values().flat_map(|k| {
            let gates = k.kep.iter().flat_map(|m| &m.feature_gates);
            gates.map(move |g| (k.number, g))
        });
        for (n, name) in named.filter(|(_, g)| gate_like(g) && !is_placeholder_gate(g)) {
            index
                .entry(name.to_ascii_lowercase())
                .and_modify(|v| {
                    if v.as_ref().is_some_and(|(k, _)| *k != n) {
                        *v = None;
                    }
                })
                .or_insert_with(|| Some((n, name.clone())));
        }
        GateIndex(index)
    }

    /// The KEP whose gates `texts` name, with the first gate named; `None`
    /// when they name none, a gate of several KEPs, or gates of several.
    pub fn evidence(&self, texts: &[&str]) -> Option<(KepNumber, String)> {
        static WORD: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\b[A-Za-z][A-Za-z0-9]*\b").unwrap());
        let mut found: Option<(KepNumber, &str)> = None;
        let words = texts.iter().flat_map(|t| WORD.find_iter(t));
        for word in words.map(|m| m.as_str()).filter(|w| gate_like(w)) {
            match self.0.get(&word.to_ascii_lowercase()) {
                None => {}
                Some(None) => return None,
                Some(Some((k, name))) => match found {
                    Some((f, _)) if f != *k => return None,
                    Some(_) => {}
                    None => found = Some((*k, name)),
                },
            }
        }
        found.map(|(k, name)| (k, name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{findings, Kind};
    use crate::model::test_snapshot::{issue, snapshot};
    use crate::model::Model;
    use serde_json::json;

    fn kep(n: u32) -> KepNumber {
        KepNumber::new(n).unwrap()
    }

    /// KEP-4639 lists ImageVolume (and the too-short `Sidecar`),
    /// KEP-127 UserNamespacesSupport, and both KEP-1 and KEP-2 SharedGate.
    fn model(issues: serde_json::Value) -> Model {
        let keps = [
            (
                "sig-node/4639-oci-volume-source/kep.yaml",
                "kep-number: 4639\nowning-sig: sig-node\nfeature-gates:\n  - name: ImageVolume\n  - name: Sidecar\n",
            ),
            (
                "sig-node/127-user-namespaces/kep.yaml",
                "kep-number: 127\nowning-sig: sig-node\nfeature-gates:\n  - name: UserNamespacesSupport\n",
            ),
            ("sig-node/1-a/kep.yaml", "kep-number: 1\nfeature-gates:\n  - name: SharedGate\n"),
            ("sig-node/2-b/kep.yaml", "kep-number: 2\nfeature-gates:\n  - name: SharedGate\n"),
        ];
        Model::build(&snapshot(&keps, issues, None))
    }

    #[test]
    fn a_gate_name_joins_an_issue_whose_kep_number_has_no_kep_yaml() {
        let m = model(json!([issue(
            9,
            "[SIG-Node]: KEP-9999: OCI volumes",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-9999\n- stage: alpha\n\nBehind the `ImageVolume` gate (see imagevolume docs)."
        )]));
        assert_eq!(
            m.gate_joined_issues,
            [GateJoinedIssue {
                issue: 9,
                stated: vec![kep(9999)],
                kep: kep(4639),
                gate: "ImageVolume".into(),
            }]
        );
        assert_eq!(m.issues[&9].joined_keps, [kep(4639)]);
        assert_eq!(m.keps[&kep(4639)].tracking_issues, [9]);
        assert!(!m.keps.contains_key(&kep(9999)));
        let f: Vec<(Kind, String)> = findings(&m)
            .into_iter()
            .filter(|f| matches!(f.kind, Kind::JoinedByGate | Kind::NoKepYaml))
            .map(|f| (f.kind, f.message))
            .collect();
        assert_eq!(
            f,
            [(
                Kind::JoinedByGate,
                "#9 names KEP-9999, which has no kep.yaml; its text names gate ImageVolume of KEP-4639: joined to KEP-4639".into()
            )]
        );
    }

    /// The KEPs issue 9 with this title and body is joined to.
    fn joined(title: &str, body: &str) -> Vec<u32> {
        let m = model(json!([issue(9, title, body)]));
        m.issues[&9].joined_keps.iter().map(|k| k.get()).collect()
    }

    #[test]
    fn ambiguous_or_weak_gate_names_join_nothing() {
        // A gate two KEPs list.
        assert_eq!(joined("KEP-9999: SharedGate", ""), [9999]);
        // Gates of two KEPs.
        assert_eq!(
            joined("KEP-9999", "ImageVolume with UserNamespacesSupport"),
            [9999]
        );
        // Too short, or not written as an identifier (one case only, part
        // of another word).
        assert_eq!(joined("KEP-9999: Sidecar", ""), [9999]);
        assert_eq!(joined("KEP-9999", "IMAGEVOLUME imagevolume"), [9999]);
        assert_eq!(
            joined("KEP-9999", "MyImageVolume Image_ImageVolume"),
            [9999]
        );
        // Case does not matter once it is an identifier; a related issue
        // is joined as related.
        let m = model(json!([issue(9, "Support KEP-9999", "Imagevolume!")]));
        assert_eq!(m.issues[&9].joined_keps, [kep(4639)]);
        assert_eq!(m.keps[&kep(4639)].related_issues, [9]);
        // One KEP's gate, named several times: joined.
        assert_eq!(
            joined("KEP-9999: ImageVolume", "ImageVolume, imageVolume"),
            [4639]
        );
        // A number with a kep.yaml wins over any gate named.
        assert_eq!(joined("KEP-127: userns", "not ImageVolume"), [127]);
        // No KEP number stated: nothing to correct, nothing joined.
        assert_eq!(
            joined("[SIG-Node]: ImageVolume support", ""),
            [] as [u32; 0]
        );
    }

    #[test]
    fn gate_like_words() {
        assert!(gate_like("ImageVolume"));
        assert!(gate_like("RuntimeClassInImageCriApi"));
        // Too short, or one case only: could be a common word.
        assert!(!gate_like("Sidecar"));
        assert!(!gate_like("container"));
        assert!(!gate_like("CONTAINERD"));
        assert!(is_placeholder_gate("MyFeature"));
        assert!(!is_placeholder_gate("ImageVolume"));
    }
}
