//! KEP metadata: the tolerant `kep.yaml` loader and the interpreted [`Kep`].
//!
//! [`KepFile`] is the raw shape of a kep.yaml as kubernetes/enhancements
//! writes it, with every scalar kept as text: the snapshot stores this, so a
//! better interpretation later needs no re-fetch. [`Kep`] is what the rest of
//! kepboard uses: typed number, SIG, milestones and stage per release.
//! Real files are loose (`1.25` without `v`, `'0.0'` for "none", quoted
//! numbers, invalid dates, status typos); none of that rejects a file. Only a
//! file that is not YAML at all is reported, by path, and skipped.

use crate::domain::{K8sRelease, KepNumber, SigName, Stage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// `milestone:` of a kep.yaml. Beyond alpha/beta/stable some files carry
/// `deprecated`, `removed` or `disabled`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestonesRaw {
    /// As written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<String>,
    /// As written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<String>,
    /// As written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable: Option<String>,
    /// As written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// As written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<String>,
    /// As written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<String>,
}

/// One `feature-gates:` entry of a kep.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureGateRaw {
    /// The gate's name, as written (may be a placeholder such as `NA`).
    #[serde(default)]
    pub name: Option<String>,
    /// The components it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<String>>,
}

/// A kep.yaml as written, scalars as text. Unknown keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct KepFile {
    /// Path relative to the `keps/` directory, with `/` separators,
    /// e.g. `sig-node/127-user-namespaces/kep.yaml`. Set by the loader.
    #[serde(default)]
    pub path: String,
    /// `title:`
    #[serde(default)]
    pub title: Option<String>,
    /// `kep-number:` (an integer or a quoted string in real files).
    #[serde(default)]
    pub kep_number: Option<String>,
    /// `authors:`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<String>>,
    /// `owning-sig:`
    #[serde(default)]
    pub owning_sig: Option<String>,
    /// `participating-sigs:`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participating_sigs: Option<Vec<String>>,
    /// `status:` (typos and comments included).
    #[serde(default)]
    pub status: Option<String>,
    /// `creation-date:` (not always a valid date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    /// `last-updated:`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// `stage:`
    #[serde(default)]
    pub stage: Option<String>,
    /// `latest-milestone:` (`'0.0'` means none).
    #[serde(default)]
    pub latest_milestone: Option<String>,
    /// `milestone:`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<MilestonesRaw>,
    /// `feature-gates:`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_gates: Option<Vec<FeatureGateRaw>>,
}

/// A kep.yaml that could not be read, kept so the site can show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadError {
    /// The file's path relative to `keps/`.
    pub path: String,
    /// What was wrong, naming the file.
    pub message: String,
}

/// Parses one kep.yaml. `path` is used only for the error message and the
/// `path` field.
pub fn parse_file(path: &str, text: &str) -> Result<KepFile, LoadError> {
    let options = serde_saphyr::options! { null_as_string: true };
    match serde_saphyr::from_str_with_options::<KepFile>(text, options) {
        Ok(mut file) => {
            file.path = path.to_string();
            Ok(file)
        }
        Err(e) => {
            let at = e
                .location()
                .map(|l| format!(":{}:{}", l.line(), l.column()))
                .unwrap_or_default();
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("invalid YAML").trim();
            Err(LoadError {
                path: path.to_string(),
                message: format!("{path}{at}: {first}"),
            })
        }
    }
}

/// Loads every `kep.yaml` below `dir`, at any depth, in path order. Files
/// that do not parse are returned as errors beside the ones that do; only
/// an unreadable `dir` itself is a hard error.
pub fn load_dir(dir: &Path) -> anyhow::Result<(Vec<KepFile>, Vec<LoadError>)> {
    use anyhow::Context;
    let meta = std::fs::metadata(dir)
        .with_context(|| format!("{}: cannot read KEP directory", dir.display()))?;
    anyhow::ensure!(meta.is_dir(), "{}: not a directory", dir.display());
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel_path(dir, p)).unwrap_or_default();
                errors.push(LoadError {
                    message: format!("{path}: {e}"),
                    path,
                });
                continue;
            }
        };
        if !entry.file_type().is_file() || entry.file_name() != "kep.yaml" {
            continue;
        }
        let rel = rel_path(dir, entry.path());
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => match parse_file(&rel, &text) {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(LoadError {
                message: format!("{rel}: {e}"),
                path: rel,
            }),
        }
    }
    Ok((files, errors))
}

fn rel_path(base: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A KEP's metadata, interpreted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kep {
    /// The KEP number.
    pub number: KepNumber,
    /// The title, cleaned of quotes and comments.
    pub title: String,
    /// The owning SIG.
    pub owning_sig: Option<SigName>,
    /// Other SIGs taking part.
    pub participating_sigs: Vec<SigName>,
    /// As written, typos included (`imlpemented`).
    pub status: Option<String>,
    /// The stage kep.yaml declares now.
    pub stage: Option<Stage>,
    /// The latest release the KEP was worked in (`None` for `'0.0'`).
    pub latest_milestone: Option<K8sRelease>,
    /// The release in which each stage was (or is planned to be) reached.
    pub milestones: BTreeMap<Stage, K8sRelease>,
    /// Feature gate names as written.
    pub feature_gates: Vec<String>,
    /// Authors as written.
    pub authors: Vec<String>,
    /// Path of the kep.yaml relative to `keps/`.
    pub path: String,
}

impl Kep {
    /// Interprets a raw file. `None` when it has no usable KEP number (the
    /// template, `NNNN`); the caller reports that.
    pub fn from_file(f: &KepFile) -> Option<Kep> {
        let number = f
            .kep_number
            .as_deref()
            .and_then(KepNumber::parse)
            .or_else(|| number_from_path(&f.path))?;
        let m = f.milestone.clone().unwrap_or_default();
        let mut milestones = BTreeMap::new();
        for (stage, value) in [
            (Stage::Alpha, &m.alpha),
            (Stage::Beta, &m.beta),
            (Stage::Stable, &m.stable),
            (Stage::Deprecated, &m.deprecated),
            (Stage::Removed, &m.removed),
        ] {
            if let Some(r) = value.as_deref().and_then(K8sRelease::parse) {
                milestones.insert(stage, r);
            }
        }
        let list = |v: &Option<Vec<String>>| -> Vec<String> {
            v.iter()
                .flatten()
                .map(|s| clean_scalar(s))
                .filter(|s| !s.is_empty())
                .collect()
        };
        let mut participating: Vec<SigName> = list(&f.participating_sigs)
            .iter()
            .filter_map(|s| SigName::parse(s))
            .collect();
        participating.sort();
        participating.dedup();
        Some(Kep {
            number,
            title: f.title.as_deref().map(clean_scalar).unwrap_or_default(),
            owning_sig: f.owning_sig.as_deref().and_then(SigName::parse),
            participating_sigs: participating,
            status: f
                .status
                .as_deref()
                .map(clean_scalar)
                .filter(|s| !s.is_empty()),
            stage: f.stage.as_deref().and_then(Stage::parse),
            latest_milestone: f.latest_milestone.as_deref().and_then(K8sRelease::parse),
            milestones,
            feature_gates: f
                .feature_gates
                .iter()
                .flatten()
                .filter_map(|g| g.name.as_deref().map(clean_scalar))
                .filter(|s| !s.is_empty())
                .collect(),
            authors: list(&f.authors),
            path: f.path.clone(),
        })
    }

    /// `status: withdrawn | rejected | replaced | deferred` (or
    /// `superseded`): the KEP reaches nothing new.
    pub fn is_inactive(&self) -> bool {
        let status = self.status.as_deref().unwrap_or("").to_ascii_lowercase();
        matches!(
            status.as_str(),
            "withdrawn" | "rejected" | "replaced" | "deferred" | "superseded"
        )
    }

    /// Whether the file's folder carries the KEP's own number
    /// (`sig-node/2133-kubelet-credential-providers` for 2133).
    pub fn folder_matches_number(&self) -> bool {
        number_from_path(&self.path) == Some(self.number)
    }
}

/// `keps/sig-node/127-user-namespaces/kep.yaml` → 127.
fn number_from_path(path: &str) -> Option<KepNumber> {
    let dir = path.rsplit('/').nth(1)?;
    let digits: String = dir.chars().take_while(|c| c.is_ascii_digit()).collect();
    KepNumber::parse(&digits)
}

/// Drops quotes and trailing `# comments` that survived as text.
fn clean_scalar(s: &str) -> String {
    let s = match s.find(" #") {
        Some(i) => &s[..i],
        None => s,
    };
    s.trim().trim_matches(['"', '\'']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kep(yaml: &str) -> Kep {
        let f = parse_file("sig-node/127-x/kep.yaml", yaml).expect("parses");
        Kep::from_file(&f).expect("has number")
    }

    #[test]
    fn milestones_with_and_without_v() {
        let k = kep("title: T\nkep-number: 127\nmilestone:\n  alpha: \"v1.25\"\n  beta: 1.35\n  stable: 'v1.36'\n");
        assert_eq!(k.milestones[&Stage::Alpha], K8sRelease::new(1, 25));
        assert_eq!(k.milestones[&Stage::Beta], K8sRelease::new(1, 35));
        assert_eq!(k.milestones[&Stage::Stable], K8sRelease::new(1, 36));
    }

    #[test]
    fn none_values_and_string_numbers() {
        let k = kep("kep-number: \"4960\"\nlatest-milestone: '0.0'\nmilestone:\n  alpha: TBD\n  beta: ''\n  stable:\n");
        assert_eq!(k.number, KepNumber::new(4960).unwrap());
        assert_eq!(k.latest_milestone, None);
        assert!(k.milestones.is_empty());
        let k = kep("kep-number: 1\nlatest-milestone: TBD\n");
        assert_eq!(k.latest_milestone, None);
    }

    #[test]
    fn invalid_dates_typos_empty_entries_and_comments_are_kept() {
        let k = kep("kep-number: 5075\ncreation-date: 2025-30-01\nstatus: imlpemented\nreviewers:\n  -\n  - \"@a\"\nauthors:\n  - \"@x\"\n  -\nstage: \"alpha\" # alpha|beta|stable\nowning-sig: sig-scheduling\n");
        assert_eq!(k.status.as_deref(), Some("imlpemented"));
        assert_eq!(k.stage, Some(Stage::Alpha));
        assert_eq!(k.authors, vec!["@x"]);
        assert_eq!(k.owning_sig.unwrap().as_str(), "sig-scheduling");
    }

    #[test]
    fn missing_number_falls_back_to_directory_and_template_is_skipped() {
        let f = parse_file("sig-node/2400-node-swap/kep.yaml", "title: Swap\n").unwrap();
        assert_eq!(
            Kep::from_file(&f).unwrap().number,
            KepNumber::new(2400).unwrap()
        );
        let f = parse_file("NNNN-kep-template/kep.yaml", "kep-number: NNNN\n").unwrap();
        assert_eq!(Kep::from_file(&f), None);
    }

    #[test]
    fn invalid_yaml_names_the_file() {
        let e = parse_file("sig-x/1-y/kep.yaml", "title: [unclosed\nkep-number: 1\n").unwrap_err();
        assert!(e.message.starts_with("sig-x/1-y/kep.yaml"), "{}", e.message);
    }

    #[test]
    fn inactive_statuses() {
        for (status, inactive) in [
            ("withdrawn", true),
            (
                "replaced # replaced by keps/sig-node/2133-kubelet-credential-providers",
                true,
            ),
            ("Deferred", true),
            ("implementable", false),
            ("implemented", false),
        ] {
            let k = kep(&format!("kep-number: 1\nstatus: {status}\n"));
            assert_eq!(k.is_inactive(), inactive, "{status}");
        }
        assert!(kep("kep-number: 127\n").folder_matches_number());
        assert!(!kep("kep-number: 128\n").folder_matches_number());
    }
}
