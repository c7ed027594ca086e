//! Reading containerd's SIG-Node tracking issues: which issues track a KEP,
//! and what their "KEP/SIG-Node References" block says.
//!
//! A *tracking* issue has a title that starts with `[SIG-Node]` (any case,
//! colon optional) or a body with the references heading of the
//! "SIG-Node Integration" issue form. An issue that only names or links a KEP
//! is *related*; any other is *unrelated* ([`classify`]).
//!
//! [`parse`] (and [`parse_complete`], for bodies known to be whole) is a pure
//! function of an issue's title and body. It never fails: whatever it cannot
//! understand is kept as raw text and reported as a [`Warning`]. The pieces,
//! in the order the text flows through them:
//!
//! 1. `block` finds the references block and reads its `- Key: value`
//!    fields with their sub-lines and line numbers, and notes where a body
//!    that may be cut short ends inside it;
//! 2. `fields` matches each key to a template field ([`FieldKey`]) and reads
//!    the stage, release and link values;
//! 3. `people` reads the owner, liaison and shepherd values as GitHub logins
//!    and SIG groups;
//! 4. `kep_numbers` finds KEP numbers in the `KEP(s):` field, the title, the
//!    `KEP Issue:` link and the body, and chooses among them.
//!
//! This module puts them together: one pass over the fields, each value and
//! sub-line given to the reader of its field, then the targets and the KEP
//! numbers, into a [`Parsed`].
//!
//! What it is not: it does not fetch issues and knows nothing about kep.yaml
//! or the site (joining with KEP metadata happens in `model`). The output
//! types live in [`crate::declared`] and are re-exported here.

mod block;
mod fields;
mod kep_numbers;
mod people;
#[cfg(test)]
mod testing;

use crate::domain::KepNumber;
use block::{read_block, references_heading, Block};
use fields::{
    combine_targets, field_text, is_placeholder, links_from_text, pieces, releases_from_text,
    targets_from_text, ReleaseNote, SEE_ISSUE,
};
use kep_numbers::{choose_kep_numbers, field_kep_numbers, title_kep_numbers};
use people::people_from_text;
use regex::Regex;
use std::sync::LazyLock;

pub use crate::declared::{
    FieldKey, IssueKind, KepSource, Owner, Parsed, RawField, Target, Warning,
};
pub use kep_numbers::{kep_mentions, title_subject};

/// Parses an issue. Never panics, never fails; see the module docs.
///
/// A body that does not end with a newline is treated as possibly cut short
/// (as in digest copies): when its last line is inside the references list,
/// a warning says so, that line gives no values (a cut `@AkihiroS` is not a
/// person), and its field and the fields the text does not reach are listed
/// in [`Parsed::unknown`]. Use [`parse_complete`] for bodies known to be
/// whole.
pub fn parse(title: &str, body: &str) -> Parsed {
    parse_body(title, body, true)
}

/// Like [`parse`], for a body known to be complete (fetched from the GitHub
/// API, whose bodies often end without a newline): no cut-off warning.
pub fn parse_complete(title: &str, body: &str) -> Parsed {
    parse_body(title, body, false)
}

/// The kind of an issue: the same answer as `parse(title, body).kind`.
pub fn classify(title: &str, body: &str) -> IssueKind {
    let body = body.replace("\r\n", "\n");
    let has_heading = references_heading(&body).is_some();
    kind_of(title.trim(), &body, has_heading)
}

/// Tracking: `[SIG-Node]` title or references heading; Related: a KEP named
/// or linked in the title or body; otherwise Unrelated.
fn kind_of(title: &str, body: &str, has_heading: bool) -> IssueKind {
    if is_tracking_title(title) || has_heading {
        IssueKind::Tracking
    } else if !title_kep_numbers(title).is_empty() || !kep_mentions(body).is_empty() {
        IssueKind::Related
    } else {
        IssueKind::Unrelated
    }
}

/// What the fields say before targets and KEP numbers are chosen.
#[derive(Default)]
struct Gathered {
    /// KEP numbers in the `KEP(s):` field.
    field_numbers: Vec<KepNumber>,
    /// Targets read from the `stage:` field.
    stage_targets: Vec<Target>,
    /// Whether the `stage:` field has any text (even a placeholder).
    stage_field_given: bool,
    /// Releases read from the `K8s-Release:` field.
    releases: Vec<ReleaseNote>,
    /// The `K8s-Release:` key as written, for its warnings.
    release_key: Option<String>,
}

/// [`parse`] and [`parse_complete`]: `may_be_cut` says whether the body may
/// be a copy cut short.
fn parse_body(title: &str, body: &str, may_be_cut: bool) -> Parsed {
    let title = title.trim();
    let body = body.replace("\r\n", "\n");
    let block = read_block(&body, is_tracking_title(title), may_be_cut);
    let title_numbers = title_kep_numbers(title);
    let mut p = Parsed {
        kind: kind_of(title, &body, block.has_heading),
        has_template: block.has_heading,
        kep_numbers: Vec::new(),
        kep_source: None,
        title_has_kep_number: !title_numbers.is_empty(),
        targets: Vec::new(),
        kep_issue_links: Vec::new(),
        kep_pr_links: Vec::new(),
        owners: Vec::new(),
        liaisons: Vec::new(),
        shepherds: Vec::new(),
        fields: Vec::new(),
        unknown: block.unknown_fields(),
        warnings: Vec::new(),
    };
    let mut w: Vec<Warning> = cut_short_warning(&block, &body).into_iter().collect();
    let g = read_fields(&mut p, &block, &mut w);
    p.targets = combine_targets(
        g.stage_targets,
        g.releases,
        g.stage_field_given,
        g.release_key.as_deref().unwrap_or("K8s-Release"),
        &mut w,
    );
    let numbers = g.field_numbers;
    choose_kep_numbers(
        &mut p,
        &block,
        numbers,
        &title_numbers,
        title,
        &body,
        &mut w,
    );
    p.fields = block.fields;
    p.warnings = w;
    p
}

/// The note that the body ends inside the references list, when it may be
/// cut short there: about the field holding the last line (or `body`).
fn cut_short_warning(block: &Block, body: &str) -> Option<Warning> {
    if !block.ends_inside {
        return None;
    }
    let key = block
        .cut
        .map(|(idx, _)| block.fields[idx].key.as_str())
        .filter(|k| !k.is_empty())
        .unwrap_or("body");
    let last_line = body.rsplit('\n').next().unwrap_or("").trim();
    Some(warning(key, last_line, Warning::CUT_SHORT))
}

/// Reads every field of the block: people and links go straight into `p`,
/// the rest is gathered for targets and KEP numbers.
fn read_fields(p: &mut Parsed, block: &Block, w: &mut Vec<Warning>) -> Gathered {
    let mut g = Gathered::default();
    for (idx, field) in block.fields.iter().enumerate() {
        let cut_here = block.cut.filter(|c| c.0 == idx);
        if block.malformed.contains(&idx) && cut_here.is_none() {
            w.push(warning(
                &field.key,
                &field.key,
                "line in the references list has no `Key: value` form",
            ));
        }
        let Some(known) = field.known else { continue };
        for (piece, text) in pieces(field) {
            // The piece holding the body's last line may be cut short: it
            // gives nothing (a cut `@AkihiroS` is not a person).
            if cut_here.is_some_and(|c| c.1 == Some(piece)) || text.trim().is_empty() {
                continue;
            }
            read_piece(p, &mut g, field, known, text.trim(), w);
        }
        match known {
            FieldKey::Stage => g.stage_field_given |= field_text(field).next().is_some(),
            FieldKey::K8sRelease => g.release_key = g.release_key.or(Some(field.key.clone())),
            _ => {}
        }
    }
    g
}

/// Reads one piece (the value, or one sub-line) of a known field.
fn read_piece(
    p: &mut Parsed,
    g: &mut Gathered,
    field: &RawField,
    known: FieldKey,
    text: &str,
    w: &mut Vec<Warning>,
) {
    let mut warn = |message: &str| w.push(warning(&field.key, text, message));
    match known {
        FieldKey::Keps => g.field_numbers.extend(field_kep_numbers(text)),
        FieldKey::Stage => {
            let (found, unclear) = targets_from_text(text);
            if found.is_empty() && !is_placeholder(text) {
                warn("no stage (alpha, beta, GA) found");
            }
            if unclear {
                warn("several releases for one stage; cannot tell which one is planned");
            }
            g.stage_targets.extend(found);
        }
        FieldKey::K8sRelease => {
            let found = releases_from_text(text);
            if found.is_empty() && !is_placeholder(text) {
                warn("no Kubernetes release (e.g. 1.36) found");
            }
            g.releases.extend(found);
        }
        FieldKey::KepIssue | FieldKey::KepPr => {
            let found = links_from_text(text);
            if found.is_empty() && !is_placeholder(text) && !SEE_ISSUE.is_match(text) {
                warn("no link (http:// or https:// URL) found");
            }
            let links = if known == FieldKey::KepIssue {
                &mut p.kep_issue_links
            } else {
                &mut p.kep_pr_links
            };
            push_unique(links, found);
        }
        FieldKey::KepOwner | FieldKey::Liaison | FieldKey::Shepherd => {
            let (people, bad) = people_from_text(text, known == FieldKey::KepOwner);
            if !bad.is_empty() {
                warn(&format!("not read as GitHub login(s): {}", bad.join(", ")));
            }
            add_people(p, known, people);
        }
    }
}

/// Adds the people read from one piece of a people field: owners may be
/// groups, liaisons and shepherds are people only.
fn add_people(p: &mut Parsed, known: FieldKey, people: Vec<Owner>) {
    for person in people {
        match (known, person) {
            (FieldKey::KepOwner, o) => push_unique(&mut p.owners, [o]),
            (FieldKey::Liaison, Owner::Person(l)) => push_unique(&mut p.liaisons, [l]),
            (FieldKey::Shepherd, Owner::Person(l)) => push_unique(&mut p.shepherds, [l]),
            _ => {}
        }
    }
}

/// Compiles a built-in pattern (a bug in it is a bug in kepboard).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid built-in regex")
}

/// `[SIG-Node]`, `[sig node]:` at the start of a title.
static TITLE_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*\[\s*sig[-_ ]?node\s*\]\s*:?\s*"));

/// Whether the title starts with `[SIG-Node]` (any case, colon optional).
fn is_tracking_title(title: &str) -> bool {
    TITLE_PREFIX.is_match(title)
}

/// A warning about `field` (as written), with the text it could not read.
fn warning(field: &str, raw: &str, message: &str) -> Warning {
    Warning {
        field: field.to_string(),
        raw: raw.to_string(),
        message: message.to_string(),
    }
}

/// Appends the items not yet in `v`, in order.
fn push_unique<T: PartialEq>(v: &mut Vec<T>, items: impl IntoIterator<Item = T>) {
    for item in items {
        if !v.contains(&item) {
            v.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::domain::Stage;

    #[test]
    fn kind_tracking_by_title_prefix_any_spelling() {
        for title in [
            "[SIG-Node]: KEP-1: x",
            "[sig-node] x",
            "  [SIG-NODE]: x",
            "[SIG Node]: x",
            "[Sig-Node]x",
        ] {
            let p = parse(title, "no template here");
            assert_eq!(p.kind, IssueKind::Tracking, "{title}");
            assert!(!p.has_template);
        }
        assert_eq!(parse("SIG-Node: x", "").kind, IssueKind::Unrelated);
        assert_eq!(parse("Re [SIG-Node]: x", "").kind, IssueKind::Unrelated);
    }

    #[test]
    fn kind_tracking_by_heading_only_any_case() {
        for heading in [
            "### KEP/SIG-Node References",
            "### kep/sig-node references",
            "## KEP / SIG Node References",
            "**KEP/SIG-Node References**",
        ] {
            let p = parse(
                "cgroup namespaces",
                &format!("{heading}\n\n- KEP(s): 5714\n"),
            );
            assert_eq!(p.kind, IssueKind::Tracking, "{heading}");
            assert!(p.has_template);
            assert_eq!(nums(&p), [5714]);
            assert_eq!(p.kep_source, Some(KepSource::KepField));
        }
    }

    #[test]
    fn kind_related_for_each_way_of_naming_a_kep() {
        let cases = [
            ("Implements KEP-2400 in the shim", 2400),
            ("see KEP 2400 for details", 2400),
            ("see https://kep.k8s.io/127 please", 127),
            ("Refers to https://github.com/kubernetes/enhancements/issues/4639", 4639),
            (
                "per https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/2400-node-swap#api",
                2400,
            ),
            ("See [KEP-2400: Node Swap](https://example.com/x) for more", 2400),
            ("support for [user namespaces][kep-issue]\n\n[kep-issue]: https://github.com/kubernetes/enhancements/issues/127", 127),
            ("tracked in kubernetes/enhancements#3386", 3386),
        ];
        for (body, n) in cases {
            let p = parse("Some feature", body);
            assert_eq!(p.kind, IssueKind::Related, "{body}");
            assert_eq!(nums(&p), [n], "{body}");
            assert_eq!(p.kep_source, Some(KepSource::Body));
            assert!(!p.title_has_kep_number);
            assert!(p.fields.is_empty() && p.warnings.is_empty());
        }
    }

    #[test]
    fn related_title_mention_comes_first() {
        let p = parse("Support KEP 2400 swap", "also see KEP-127");
        assert_eq!(p.kind, IssueKind::Related);
        assert!(p.title_has_kep_number);
        assert_eq!(nums(&p), [2400, 127]);
        assert_eq!(p.kep_source, Some(KepSource::Title));
    }

    #[test]
    fn kind_unrelated_for_look_alikes() {
        for body in [
            "graduated in https://github.com/kubernetes/kubernetes/pull/130135",
            "field in https://github.com/kubernetes/cri-api/blob/1b6a/pkg/apis/runtime/v1/api.proto#L274",
            "the PR https://github.com/kubernetes/enhancements/pull/6062 is merged",
            "RuntimeVersion:  v2.1.0-beta.0-18-g8237c496\nv1.33.0-beta.0.616+71eb04295ad273",
            "needs KEP 1.25 behaviour",
            "kep-issue is a label",
            "",
        ] {
            let p = parse("Bump runc", body);
            assert_eq!(p.kind, IssueKind::Unrelated, "{body}");
            assert!(p.kep_numbers.is_empty());
            assert_eq!(p.kep_source, None);
        }
        assert_eq!(classify("Bump runc", "nothing"), IssueKind::Unrelated);
        assert_eq!(classify("[SIG-Node] x", ""), IssueKind::Tracking);
    }

    #[test]
    fn classify_agrees_with_parse() {
        for (title, body) in [
            ("[SIG-Node]: x", ""),
            ("x", "### KEP/SIG-Node References\r\n- KEP(s): 1"),
            ("KEP-1 thing", ""),
            ("x", "see kep.k8s.io/2"),
            ("x", "nothing"),
        ] {
            assert_eq!(
                classify(title, body),
                parse(title, body).kind,
                "{title} / {body}"
            );
        }
    }

    #[test]
    fn unknown_is_serialised_only_when_present() {
        let p = tracking("- KEP(s): 1\n- KEP-Shepherd: @a");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["unknown"], serde_json::json!(["shepherd"]));
        let back: Parsed = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
        let p = tracking("- KEP(s): 1\n- KEP-Shepherd: @a\n");
        let mut json = serde_json::to_value(&p).unwrap();
        assert!(json.get("unknown").is_none());
        json.as_object_mut().unwrap().remove("unknown");
        let back: Parsed = serde_json::from_value(json).unwrap();
        assert!(back.unknown.is_empty());
    }

    #[test]
    fn like_6302_kep_in_link_text_and_tree_url() {
        let p = parse(
            "Add swap limits via CRI",
            "### What\n\nSee [KEP-2400: Node Swap#API](https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/2400-node-swap#api) here.\n\nCRI-O: https://github.com/cri-o/cri-o/commit/cd8bc4c",
        );
        assert_eq!(
            (p.kind, nums(&p), p.kep_source),
            (IssueKind::Related, vec![2400], Some(KepSource::Body))
        );
    }

    #[test]
    fn like_7063_reference_style_links() {
        let p = parse(
            "Support user namespaces phase I in Kubernetes 1.25+",
            "Kubernetes 1.25 will have [userns][kep-issue], [phase I][kep-phase1].\n\n[kep-issue]: https://github.com/kubernetes/enhancements/issues/127\n[kep-phase1]: https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/127-user-namespaces#phase-1\n\n- netns ownership: the namespac",
        );
        assert_eq!((p.kind, nums(&p)), (IssueKind::Related, vec![127]));
        assert!(!p.title_has_kep_number);
        assert!(p.fields.is_empty() && p.warnings.is_empty());
    }

    #[test]
    fn like_10496_bare_issue_url() {
        let p = parse(
            "Add OCI Volume Source support",
            "Refers to https://github.com/kubernetes/enhancements/issues/4639\n\nhttps://github.com/containerd/containerd/blob/323ba43/core/images/image.go#L35-L56",
        );
        assert_eq!((p.kind, nums(&p)), (IssueKind::Related, vec![4639]));
    }

    #[test]
    fn like_11580_short_url_and_version_noise() {
        let p = parse(
            "Support CRI `image_sub_path`",
            "[KEP-4639](https://kep.k8s.io/4639) graduated ([beta](https://github.com/kubernetes/kubernetes/pull/130135)) via [cri](https://github.com/kubernetes/cri-api/blob/1b6a/pkg/apis/runtime/v1/api.proto#L274).\n\n```console\nctr github.com/containerd/containerd/v2 v2.1.0-beta.0-18-g8237c496\nkind-control-plane   Ready   13m   v1.33.0-beta.0.616+71eb04295ad273\n```",
        );
        assert_eq!((p.kind, nums(&p)), (IssueKind::Related, vec![4639]));
    }

    #[test]
    fn like_13546_cut_after_shepherd_colon() {
        let p = parse(
            "[SIG-Node]: KEP-6061 - OCI Artifact-Based Security Profiles",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-6061\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/6061\n- KEP PR: https://github.com/kubernetes/enhancements/pull/6062\n- K8s-Release: TBD\n- KEP-Owner: @saschagrunert\n- SIG-Node member liaison: @SergeyKanzhelev\n- KEP-Shepherd:",
        );
        assert_eq!(p.kind, IssueKind::Tracking);
        assert!(p.has_template && p.title_has_kep_number);
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![6061], Some(KepSource::KepField))
        );
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert_eq!(
            p.kep_issue_links,
            ["https://github.com/kubernetes/enhancements/issues/6061"]
        );
        assert_eq!(
            p.kep_pr_links,
            ["https://github.com/kubernetes/enhancements/pull/6062"]
        );
        assert_eq!(owners(&p), ["saschagrunert"]);
        assert_eq!(logins(&p.liaisons), ["SergeyKanzhelev"]);
        assert!(p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Shepherd]);
        assert_eq!(p.fields.len(), 8);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP-Shepherd");
    }

    #[test]
    fn like_13572_tab_sub_line_and_cut_pr_sub_line() {
        let p = parse(
            "[SIG-Node]: 5758 - Per-container ulimits configuration",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-5758 - Per-container ulimits configuration\n\t- https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/5758-per-container-ulimits-configuration\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5758\n- KEP PR: \n  - htt",
        );
        assert_eq!(p.kind, IssueKind::Tracking);
        assert!(p.title_has_kep_number);
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![5758], Some(KepSource::KepField))
        );
        assert_eq!(
            field(&p, FieldKey::Keps).value,
            "KEP-5758 - Per-container ulimits configuration"
        );
        assert_eq!(field(&p, FieldKey::Keps).sub_lines.len(), 1);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert!(p.kep_pr_links.is_empty());
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP PR");
        use FieldKey as F;
        assert_eq!(
            p.unknown,
            [
                F::KepPr,
                F::K8sRelease,
                F::KepOwner,
                F::Liaison,
                F::Shepherd
            ]
        );
        assert!(!p.is_unknown(F::Stage) && !p.is_unknown(F::KepIssue));
    }

    #[test]
    fn like_13970_prose_mention() {
        let p = parse(
            "Proposal: Support Pod-level checkpoint and restore",
            "### What is the problem\n\nThis issue tracks implementation work for KEP-5823. The Sandbox API remains open for review",
        );
        assert_eq!(
            (p.kind, nums(&p), p.kep_source),
            (IssueKind::Related, vec![5823], Some(KepSource::Body))
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn like_13978_see_issue_link_and_free_text_after() {
        let p = parse(
            "[SIG-Node]: KEP-4191: Separate Read and write only layers",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-4191\n- stage: beta\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/4191\n- KEP PR: see issue link\n- K8s-Release: 1.31\n- KEP-Owner: kannon92\n- SIG-Node member liason: kannon92\n- KEP-Shepherd: kannon92\n\nBasically this is beta on but there is no ",
        );
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![4191], Some(KepSource::KepField))
        );
        assert_eq!(targets(&p), [target(Stage::Beta, None, Some((1, 31)))]);
        assert_eq!(p.targets[0].raw, "beta");
        assert!(p.kep_pr_links.is_empty());
        assert_eq!(owners(&p), ["kannon92"]);
        assert_eq!(logins(&p.liaisons), ["kannon92"]);
        assert_eq!(logins(&p.shepherds), ["kannon92"]);
        assert_eq!(p.fields.len(), 8);
        assert_eq!(field(&p, FieldKey::Liaison).key, "SIG-Node member liason");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert!(p.unknown.is_empty());
    }

    #[test]
    fn like_13979_release_for_alpha_and_cut_key() {
        let p = parse(
            "[SIG-Node]: KEP-5823: Pod-Level Checkpoint/Restore",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-5823\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5823\n- KEP PR: https://github.com/kubernetes/enhancements/pull/5851\n- K8s-Release: v1.37 (target for Alpha)\n- KEP-Owner: @rst0git @viktoriaas @adrianreber @andreyvelich\n- SIG",
        );
        assert_eq!(nums(&p), [5823]);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 37)))]);
        assert_eq!(
            owners(&p),
            ["rst0git", "viktoriaas", "adrianreber", "andreyvelich"]
        );
        assert!(p.liaisons.is_empty() && p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Liaison, FieldKey::Shepherd]);
        assert_eq!(
            p.fields.last().map(|f| (f.key.as_str(), f.known)),
            Some(("SIG", None))
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "SIG");
    }

    #[test]
    fn like_14252_tree_url_in_keps_and_cut_key_without_colon() {
        let p = parse(
            "[SIG-Node]: 4216 - Support image pull per runtime class",
            "### KEP/SIG-Node References\n\n- KEP(s): https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/4216-image-pull-per-runtime-class\n- stage: alpha (kubelet feature gate `RuntimeClassInImageCriApi`, off by default)\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/4216\n- KEP PR",
        );
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![4216], Some(KepSource::KepField))
        );
        assert!(p.title_has_kep_number);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert_eq!(
            p.fields.last().map(|f| (f.key.as_str(), f.known)),
            Some(("KEP PR", Some(FieldKey::KepPr)))
        );
        use FieldKey as F;
        assert_eq!(
            p.unknown,
            [
                F::KepPr,
                F::K8sRelease,
                F::KepOwner,
                F::Liaison,
                F::Shepherd
            ]
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP PR");
    }

    #[test]
    fn like_14267_cut_handle() {
        let p = parse(
            "[SIG-Node]: KEP-5714: cgroup namespaces",
            "### KEP/SIG-Node References\n\n- KEP(s): 5714\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5714\n- KEP PR: https://github.com/kubernetes/enhancements/pull/5715\n- K8s-Release: 1.38\n- KEP-Owner: @AkihiroSuda\n- SIG-Node member liason: @AkihiroSuda\n- KEP-Shepherd: @AkihiroS",
        );
        assert_eq!(nums(&p), [5714]);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 38)))]);
        assert_eq!(owners(&p), ["AkihiroSuda"]);
        assert_eq!(logins(&p.liaisons), ["AkihiroSuda"]);
        // The last handle may be cut (the real one is @AkihiroSuda): unknown.
        assert!(p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Shepherd]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP-Shepherd");
        // The same body known to be whole gives the handle as written.
        let whole = parse_complete(
            "[SIG-Node]: KEP-5714: cgroup namespaces",
            "### KEP/SIG-Node References\n\n- KEP(s): 5714\n- KEP-Shepherd: @AkihiroS",
        );
        assert_eq!(logins(&whole.shepherds), ["AkihiroS"]);
        assert!(whole.unknown.is_empty() && whole.warnings.is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        let long = "x".repeat(100_000);
        let long_field = format!(
            "{HEAD}- KEP(s): {}\n- stage: {}",
            "9".repeat(50_000),
            "é".repeat(30_000)
        );
        let bodies: Vec<String> = vec![
            String::new(),
            "\r\n".into(),
            "\r\n\r\n\r".into(),
            "\r".into(),
            format!("{HEAD}- :"),
            format!("{HEAD}- KEP(s):"),
            format!("{HEAD}- KEP(s):\n"),
            format!("{HEAD}-"),
            format!("{HEAD}- KEP-Shepherd: @Aki\u{e9}"),
            format!("{HEAD}- KEP-Owner: 日本語, @ü, sig-"),
            format!("{HEAD}- stage: bêta → ga; and , ,"),
            format!("{HEAD}- K8s-Release: 1.\u{2013}"),
            format!("{HEAD}- KEP PR: https://"),
            format!("{HEAD}- KEP(s): KEP-1\n\t\t\n  -\n    - (((\n- stage: `alpha"),
            format!("{HEAD}- KEP(s): KEP-99999999999 kep.k8s.io/0 #0"),
            format!("{HEAD}{long}"),
            format!("{HEAD}- stage: {long}"),
            long_field,
            "### KEP/SIG-Node References".into(),
            "KEP-".into(),
            "🦀🦀 KEP-🦀 kep.k8s.io/🦀".into(),
        ];
        let titles = [
            "",
            "[SIG-Node]",
            "[SIG-Node]: ",
            "[SIG-Node]: 🦀 1",
            "\r\n",
            "[SIG-Node]: 1234567",
        ];
        for body in &bodies {
            for title in titles {
                let p = parse(title, body);
                assert!(p.kep_source.is_some() || p.kep_numbers.is_empty());
            }
        }
        // Multibyte characters at every cut point of a real-looking body.
        let full = "### KEP/SIG-Node References\n\n- KEP(s): KEP-5714 – cgroup ñamespaces\n- stage: béta w/gate ön\n- KEP-Shepherd: @Akihiro Süda (コンテナ)\n";
        for (i, _) in full.char_indices() {
            let _ = parse("[SIG-Node]: KEP-5714: ü", &full[..i]);
        }
    }

    mod props {
        use super::super::*;
        use crate::domain::Login;
        use proptest::prelude::*;
        use proptest::sample::{select, Index};

        /// Pieces people put in titles and bodies, to be strung together.
        const FRAGMENTS: &[&str] = &[
            "### KEP/SIG-Node References\n",
            "\n",
            "\n\n",
            "\r\n",
            "- ",
            "  - ",
            "\t- ",
            "* ",
            "**",
            "KEP(s): ",
            "stage: ",
            "KEP Issue: ",
            "KEP PR: ",
            "K8s-Release: ",
            "KEP-Owner: ",
            "SIG-Node member liason: ",
            "KEP-Shepherd: ",
            "**KEP-Shepherd**: ",
            "@AkihiroSuda",
            "@AkihiroS",
            "@a",
            "@mike-brow",
            "@foo_bar",
            "@x--y",
            "@-x",
            "@kubernetes/sig-node",
            "@containerd/maintainers",
            "me@example.com",
            "kannon92",
            "kannon92.",
            "mikebrow",
            "sig-node",
            "SIG Node",
            " and ",
            ", ",
            "; ",
            " / ",
            " & ",
            "TBD",
            "_No response_",
            "N/A",
            "1.36",
            "v1.37",
            "1.36/1.37",
            "1.36.",
            "(hopefully)",
            "(target for Alpha)",
            "alpha",
            "beta w/gate on",
            "GA",
            "KEP-5714",
            "#6061",
            "<5714>",
            "https://github.com/kubernetes/enhancements/issues/5714",
            "https://github.com/kubernetes/sig-release/tree/master/releases/release-1.37",
            "https://github.com/@someone",
            "[@dmcgowan](https://github.com/dmcgowan)",
            "[KEP-5714](https://kep.k8s.io/5714)",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "`",
            ":",
            "-",
            ".",
            " ",
            "looking for a volunteer",
            "will shepherd once merged",
            "é",
            "ü",
            "🦀",
            "日本",
            "Basically this is beta on",
            "v1.33.0-beta.0.616+71eb04295ad273",
        ];
        const TITLES: &[&str] = &[
            "",
            "[SIG-Node]: KEP-5714: cgroup namespaces",
            "[SIG-Node]: KEP-<5714>: <x>",
            "[SIG-Node]: 5758 - ulimits",
            "Support KEP 2400",
            "@AkihiroSuda's idea",
            "[sig node]",
        ];

        /// Template-ish text, cut at an arbitrary character boundary.
        fn templateish() -> impl Strategy<Value = String> {
            (
                prop::collection::vec(select(FRAGMENTS), 0..40),
                any::<Index>(),
            )
                .prop_map(|(parts, cut)| {
                    let text = parts.concat();
                    let bounds: Vec<usize> = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([text.len()])
                        .collect();
                    text[..bounds[cut.index(bounds.len())]].to_string()
                })
        }

        fn title() -> impl Strategy<Value = String> {
            prop_oneof![
                select(TITLES).prop_map(String::from),
                templateish(),
                any::<String>()
            ]
        }

        fn body() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => templateish(),
                1 => any::<String>(),
                1 => "[-@_a-zA-Z0-9 .,;:/()\\[\\]<>*`\r\n]{0,80}",
            ]
        }

        fn handle_char(c: char) -> bool {
            c.is_alphanumeric() || c == '-' || c == '_'
        }

        /// Whether `needle` occurs in `hay` (both ASCII-lowercased) as a whole
        /// token: not right after or right before a character of a handle.
        fn occurs_as_token(hay: &str, needle: &str) -> bool {
            hay.match_indices(needle).any(|(i, m)| {
                !hay[..i].chars().next_back().is_some_and(handle_char)
                    && !hay[i + m.len()..].chars().next().is_some_and(handle_char)
            })
        }

        fn people(p: &Parsed) -> Vec<&Login> {
            let owners = p.owners.iter().filter_map(|o| match o {
                Owner::Person(l) => Some(l),
                Owner::Group(_) => None,
            });
            owners.chain(&p.liaisons).chain(&p.shepherds).collect()
        }

        /// Every login is written in the text we read, whole; for a body that
        /// may be cut, never (only) on its last line.
        fn check(title: &str, body: &str) -> Result<(), TestCaseError> {
            let body_n = body.replace("\r\n", "\n");
            let whole = format!("{title}\n{body_n}").to_ascii_lowercase();
            let read_part = match body_n.rfind('\n') {
                _ if body_n.ends_with('\n') => whole.clone(),
                Some(i) => format!("{title}\n{}", &body_n[..i]).to_ascii_lowercase(),
                None => title.to_ascii_lowercase(),
            };
            let complete = parse_complete(title, body);
            for login in people(&complete) {
                prop_assert!(
                    occurs_as_token(&whole, &login.key()),
                    "{login} in {whole:?}"
                );
            }
            prop_assert!(complete.unknown.is_empty());
            let p = parse(title, body);
            for login in people(&p) {
                prop_assert!(
                    occurs_as_token(&read_part, &login.key()),
                    "{login} in {read_part:?}"
                );
            }
            prop_assert_eq!(p.kind, classify(title, body));
            prop_assert_eq!(p.kind, complete.kind);
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(384))]

            #[test]
            fn logins_are_whole_tokens_of_the_text(title in title(), body in body()) {
                check(&title, &body)?;
            }

            #[test]
            fn template_bodies_under_tracking_titles(body in templateish()) {
                check("[SIG-Node]: KEP-5714: cgroup namespaces", &body)?;
                check("", &format!("### KEP/SIG-Node References\n\n{body}"))?;
            }
        }
    }
}
