//! What a tracking issue declares: the KEP numbers, stage targets, people
//! and raw fields of its "KEP/SIG-Node References" block, with what could
//! not be read.
//!
//! These are the types the tracking parser (`tracking`) produces and that
//! `model`, `check` and `site` read. They hold no parsing logic, so the
//! site depends on what an issue says, not on how it is read.

use crate::domain::{GateDefault, K8sRelease, KepNumber, Login, SigName, Stage};
use serde::{Deserialize, Serialize};

/// How an issue relates to KEP work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueKind {
    /// Title starts with `[SIG-Node]` (any case, colon optional) or the body
    /// carries the "KEP/SIG-Node References" block.
    Tracking,
    /// Pre-template issue that names or links a KEP: shown on the KEP's page
    /// but not counted as its tracking issue.
    Related,
    /// Nothing to do with a KEP.
    Unrelated,
}

/// Where a parsed value came from, so the site can show it and `check`
/// can say why a number was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KepSource {
    /// The `KEP(s):` field (or its sub-lines).
    KepField,
    /// The issue title.
    Title,
    /// The `KEP Issue:` URL (`.../enhancements/issues/5714`).
    KepIssueUrl,
    /// A link or mention elsewhere in the body (related issues).
    Body,
}

/// One stage the issue declares, with the Kubernetes release it is planned
/// for when one was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The stage declared.
    pub stage: Stage,
    /// `Some` only for `beta w/gate off` / `beta w/gate on`.
    pub gate: Option<GateDefault>,
    /// `None` for `TBD`, empty or missing.
    pub k8s_release: Option<K8sRelease>,
    /// The text this target was read from, e.g. `Beta: 1.38 (hopefully).`
    pub raw: String,
}

/// A KEP owner: a person, or a SIG acting as an owner group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "name")]
pub enum Owner {
    /// A GitHub user.
    Person(Login),
    /// A SIG acting as owner (`sig-network`).
    Group(SigName),
}

/// The template fields kepboard understands. Matching is case-insensitive and
/// tolerant of spelling (`liason`/`liaison`) and qualifiers (`KEP PR (alpha):`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKey {
    /// `KEP(s):`
    Keps,
    /// `stage:`
    Stage,
    /// `KEP Issue:`
    KepIssue,
    /// `KEP PR:` (any qualifier)
    KepPr,
    /// `K8s-Release:`
    K8sRelease,
    /// `KEP-Owner:`
    KepOwner,
    /// `SIG-Node member liaison:` (any spelling)
    Liaison,
    /// `KEP-Shepherd:`
    Shepherd,
}

impl FieldKey {
    /// The template's fields in the template's order.
    pub const TEMPLATE: [FieldKey; 8] = [
        FieldKey::Keps,
        FieldKey::Stage,
        FieldKey::KepIssue,
        FieldKey::KepPr,
        FieldKey::K8sRelease,
        FieldKey::KepOwner,
        FieldKey::Liaison,
        FieldKey::Shepherd,
    ];
}

/// One `- Key: value` line of the references block as written, with any
/// indented sub-lines folded in. Unknown keys (`KEP File:`) are kept too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawField {
    /// The key as written, e.g. `SIG-Node member liason`.
    pub key: String,
    /// `None` for keys kepboard does not know.
    pub known: Option<FieldKey>,
    /// The value on the key's line, trimmed (may be empty).
    pub value: String,
    /// Indented sub-lines under the key, each trimmed and without its bullet.
    pub sub_lines: Vec<String>,
    /// 1-based line number in the body (after `\r\n` normalisation).
    pub line: usize,
}

/// Something the parser could not read, attached to the issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The field it concerns, as written (or `title`/`body`).
    pub field: String,
    /// The text that could not be read.
    pub raw: String,
    /// What was wrong, in words for a person.
    pub message: String,
}

impl Warning {
    /// The message of the warning that a body (a copy that may be cut short)
    /// ends inside the references list: a note about the copy, not a field
    /// that could not be read.
    pub const CUT_SHORT: &str =
        "the body ends inside the references list; the last value may be cut short, \
         so it and the fields after it are unknown";

    /// Whether this is the note that the copy is cut short, not a field
    /// that could not be read.
    pub fn is_cut_short(&self) -> bool {
        self.message == Self::CUT_SHORT
    }
}

/// Everything read from one issue's title and body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// Tracking, related (pre-template) or unrelated.
    pub kind: IssueKind,
    /// Whether the body carries the "KEP/SIG-Node References" block.
    pub has_template: bool,
    /// KEP numbers in order of first appearance, without duplicates.
    pub kep_numbers: Vec<KepNumber>,
    /// Where `kep_numbers[0]` came from; `None` when there is no number.
    pub kep_source: Option<KepSource>,
    /// Whether the title itself names a KEP number.
    pub title_has_kep_number: bool,
    /// The stages declared, with their releases.
    pub targets: Vec<Target>,
    /// URLs from `KEP Issue:`.
    pub kep_issue_links: Vec<String>,
    /// URLs from `KEP PR:` (any qualifier).
    pub kep_pr_links: Vec<String>,
    /// `KEP-Owner:` people or SIGs.
    pub owners: Vec<Owner>,
    /// `SIG-Node member liaison:` logins.
    pub liaisons: Vec<Login>,
    /// `KEP-Shepherd:` logins.
    pub shepherds: Vec<Login>,
    /// Every field line of the references block, understood or not.
    pub fields: Vec<RawField>,
    /// Template fields whose value is unknown because the body (possibly cut
    /// short, see `tracking::parse`) ends inside the references list: the field
    /// holding the body's last line, and the fields after it in the
    /// template's order that the text never reaches. In template order. A
    /// field missing from a list that ended normally (or skipped before a
    /// later field) is absent, not unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<FieldKey>,
    /// What could not be read, and notes about the copy.
    pub warnings: Vec<Warning>,
}

impl Parsed {
    /// Whether the text may hold more of `key` than was read: the body ends
    /// inside the references list in or before that field. An unknown people
    /// field means "not known", never "nobody".
    pub fn is_unknown(&self, key: FieldKey) -> bool {
        self.unknown.contains(&key)
    }
}
