//! `kepboard.toml`: where `fetch` gathers from, and the CRI-O pull
//! requests that do a KEP's work without naming it. Every key has a
//! default that is right for containerd, so no file at all is the common
//! case. `fetch` and `import` read it (`--config`).
//!
//! ```toml
//! tracking_repo = "containerd/containerd"
//! # GitHub searches that find tracking and related issues ({repo} is
//! # replaced); the tracking-issue rule then keeps only the relevant ones.
//! issue_searches = ['repo:{repo} is:issue "SIG-Node" in:title', "repo:{repo} is:issue KEP"]
//! # GitHub searches that find pull requests of the tracking repository
//! # naming a KEP in their title or (branches starting with `kep`) their
//! # branch, linked from a tracking issue or not, merged or open.
//! pull_searches = ["repo:{repo} is:pr KEP in:title", "repo:{repo} is:pr head:kep"]
//! releases_md = "RELEASES.md"
//! enhancements_repo = "kubernetes/enhancements"
//! enhancements_branch = "master"
//! keps_dir = "keps"
//! kubernetes_repo = "kubernetes/kubernetes"
//! # Kubernetes' feature-gate history, read from kubernetes_repo's default
//! # branch: which stage and default each gate had in each release.
//! feature_gates_path = "test/compatibility_lifecycle/reference/versioned_feature_list.yaml"
//! # CRI-O, the second runtime: its releases, and the merged pull requests
//! # these searches find ({repo} is replaced), with their backports.
//! crio_repo = "cri-o/cri-o"
//! crio_pull_searches = ["repo:{repo} is:pr is:merged KEP in:title,body",
//!                       'repo:{repo} is:pr is:merged "kubernetes/enhancements" in:title,body',
//!                       'repo:{repo} is:pr is:merged "kep.k8s.io" in:title,body']
//!
//! # The deployment's memory: a checkout of the data branch holding the
//! # live snapshot (snapshot.json), its change log (changes.json) and the
//! # frozen archives (archive/v1.NN.json). Relative to this file's folder.
//! data_dir = "data"
//!
//! # CRI-O (crio_repo) pull requests that do a KEP's work without naming
//! # it: KEP number = [PR numbers]. Their backports follow them. Recorded in
//! # the snapshot; shown as "configured" beside the PRs that name the KEP.
//! [crio_pulls]
//! 4639 = [8123, 8200]
//! ```
//!
//! `crio_repo` is where `fetch` reads CRI-O's pull requests and releases;
//! the snapshot's source says which repository that was. Fetched pull
//! requests carry their own URLs, but the links kepboard builds itself
//! (a configured PR the data lacks) still point to cri-o/cri-o
//! (`links::CRIO_REPO`): pages built from another `crio_repo` link those
//! few to cri-o/cri-o.

use crate::domain::KepNumber;
use crate::snapshot::CrioKepLink;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where `fetch` gathers from; see the module docs for the keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `owner/name` of the repository with the tracking issues.
    pub tracking_repo: String,
    /// GitHub issue searches that find candidate issues (`{repo}` is replaced).
    pub issue_searches: Vec<String>,
    /// GitHub searches that find the tracking repository's pull requests
    /// naming a KEP (`{repo}` is replaced); may be empty.
    pub pull_searches: Vec<String>,
    /// The path of RELEASES.md (the support matrix) in the tracking repository.
    pub releases_md: String,
    /// `owner/name` of the repository with the KEPs.
    pub enhancements_repo: String,
    /// The branch the kep.yaml files are read from.
    pub enhancements_branch: String,
    /// The folder of the KEPs in that repository.
    pub keps_dir: String,
    /// `owner/name` of Kubernetes, for its release dates and feature gates.
    pub kubernetes_repo: String,
    /// The path of `versioned_feature_list.yaml` (the feature-gate history)
    /// in the Kubernetes repository, read from its default branch.
    pub feature_gates_path: String,
    /// `owner/name` of CRI-O, the second runtime.
    pub crio_repo: String,
    /// GitHub searches that find CRI-O pull requests naming a KEP
    /// (`{repo}` is replaced by `crio_repo`); may be empty.
    pub crio_pull_searches: Vec<String>,
    /// `[crio_pulls]`: CRI-O pull requests that do a KEP's work without
    /// naming it, by KEP number as written (`"4639"`); see
    /// [`Config::crio_kep_links`].
    pub crio_pulls: BTreeMap<String, Vec<u64>>,
    /// The data directory (see [`crate::data::DataDir`]), as written;
    /// relative to the configuration file's folder. [`Config::load`]
    /// resolves it.
    pub data_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tracking_repo: "containerd/containerd".into(),
            issue_searches: vec![
                r#"repo:{repo} is:issue "SIG-Node" in:title"#.into(),
                "repo:{repo} is:issue KEP".into(),
                r#"repo:{repo} is:issue "kubernetes/enhancements""#.into(),
            ],
            pull_searches: vec![
                "repo:{repo} is:pr KEP in:title".into(),
                "repo:{repo} is:pr head:kep".into(),
            ],
            releases_md: "RELEASES.md".into(),
            enhancements_repo: "kubernetes/enhancements".into(),
            enhancements_branch: "master".into(),
            keps_dir: "keps".into(),
            kubernetes_repo: "kubernetes/kubernetes".into(),
            feature_gates_path:
                "test/compatibility_lifecycle/reference/versioned_feature_list.yaml".into(),
            crio_repo: "cri-o/cri-o".into(),
            crio_pull_searches: vec![
                "repo:{repo} is:pr is:merged KEP in:title,body".into(),
                r#"repo:{repo} is:pr is:merged "kubernetes/enhancements" in:title,body"#.into(),
                r#"repo:{repo} is:pr is:merged "kep.k8s.io" in:title,body"#.into(),
            ],
            crio_pulls: BTreeMap::new(),
            data_dir: PathBuf::from("data"),
        }
    }
}

impl Config {
    /// Reads `path`; a missing file gives the defaults. `data_dir` comes
    /// back resolved against the file's folder.
    pub fn load(path: &Path) -> Result<Config> {
        let mut c = match std::fs::read_to_string(path) {
            Ok(text) => {
                let c: Config = toml::from_str(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                c.validate()
                    .with_context(|| format!("{}: invalid configuration", path.display()))?;
                c
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
        };
        if let Some(folder) = path.parent() {
            c.data_dir = folder.join(&c.data_dir);
        }
        Ok(c)
    }

    /// The data directory: the live snapshot, its change log and the archives.
    pub fn data(&self) -> crate::data::DataDir {
        crate::data::DataDir::new(self.data_dir.clone())
    }

    fn validate(&self) -> Result<()> {
        for (key, repo) in [
            ("tracking_repo", &self.tracking_repo),
            ("enhancements_repo", &self.enhancements_repo),
            ("kubernetes_repo", &self.kubernetes_repo),
            ("crio_repo", &self.crio_repo),
        ] {
            if split_repo(repo).is_none() {
                bail!("{key} = {repo:?} is not owner/name");
            }
        }
        if self.issue_searches.is_empty() {
            bail!("issue_searches is empty: no issue would be fetched");
        }
        if self.feature_gates_path.trim_matches('/').is_empty() {
            bail!("feature_gates_path is empty");
        }
        self.checked_crio_links()?;
        Ok(())
    }

    /// The `[crio_pulls]` table as links, by KEP then PR number. A loaded
    /// configuration is valid, so this never fails on one.
    pub fn crio_kep_links(&self) -> Vec<CrioKepLink> {
        self.checked_crio_links().unwrap_or_default()
    }

    /// `[crio_pulls]` read and checked: keys are KEP numbers (digits, not
    /// 0), no KEP twice (`127` and `0127`), no PR number 0 or twice in a list.
    fn checked_crio_links(&self) -> Result<Vec<CrioKepLink>> {
        let mut keps = BTreeSet::new();
        let mut links = Vec::new();
        for (key, pulls) in &self.crio_pulls {
            let kep = Some(key)
                .filter(|k| k.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|k| KepNumber::parse(k));
            let Some(kep) = kep else {
                bail!(
                    "crio_pulls: key {key:?} is not a KEP number (digits, as in `4639 = [8123]`)"
                );
            };
            if !keps.insert(kep) {
                bail!("crio_pulls: key {key:?} names KEP-{kep}, which another key already names");
            }
            let mut seen = BTreeSet::new();
            for &pull in pulls {
                if pull == 0 {
                    bail!("crio_pulls: key {key:?}: 0 is not a pull request number");
                }
                if !seen.insert(pull) {
                    bail!("crio_pulls: key {key:?}: pull request {pull} is listed twice");
                }
                links.push(CrioKepLink { kep, pull });
            }
        }
        links.sort_unstable();
        Ok(links)
    }

    /// The searches with `{repo}` filled in.
    pub fn searches(&self) -> Vec<String> {
        self.issue_searches
            .iter()
            .map(|s| s.replace("{repo}", &self.tracking_repo))
            .collect()
    }

    /// The tracking repository's pull request searches with `{repo}`
    /// filled in.
    pub fn pull_searches(&self) -> Vec<String> {
        self.pull_searches
            .iter()
            .map(|s| s.replace("{repo}", &self.tracking_repo))
            .collect()
    }

    /// The CRI-O pull request searches with `{repo}` filled in.
    pub fn crio_searches(&self) -> Vec<String> {
        self.crio_pull_searches
            .iter()
            .map(|s| s.replace("{repo}", &self.crio_repo))
            .collect()
    }
}

/// `owner/name` → (owner, name), both non-empty and URL-safe.
pub fn split_repo(repo: &str) -> Option<(&str, &str)> {
    let (o, n) = repo.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    (ok(o) && ok(n)).then_some((o, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Config::load(&dir.path().join("none.toml")).unwrap(),
            Config {
                data_dir: dir.path().join("data"),
                ..Config::default()
            }
        );
        assert_eq!(
            Config::load(Path::new("kepboard.toml")).unwrap().data_dir,
            Path::new("data")
        );
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "tracking_repo = \"me/fork\"\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.tracking_repo, "me/fork");
        assert!(c.searches()[0].starts_with("repo:me/fork "));
        assert_eq!(
            Config::default().crio_searches()[0],
            "repo:cri-o/cri-o is:pr is:merged KEP in:title,body"
        );
        std::fs::write(&p, "crio_repo = \"me/crio\"\ncrio_pull_searches = []\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.crio_repo, "me/crio");
        assert!(c.crio_searches().is_empty());
        std::fs::write(&p, "crio_repo = \"crio\"\n").unwrap();
        let e = format!("{:#}", Config::load(&p).unwrap_err());
        assert!(e.contains("crio_repo"), "{e}");
        std::fs::write(&p, "tracking_repo = \"nope\"\n").unwrap();
        assert!(Config::load(&p).unwrap_err().to_string().contains("k.toml"));
        std::fs::write(&p, "unknown_key = 1\n").unwrap();
        let e = format!("{:#}", Config::load(&p).unwrap_err());
        assert!(e.contains("k.toml") && e.contains("unknown_key"), "{e}");
    }

    #[test]
    fn crio_pulls_table() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kepboard.toml");
        std::fs::write(
            &p,
            "[crio_pulls] # CRI-O PRs that do a KEP's work without naming it\n\
             4639 = [8200, 8123]\n\"127\" = [8123]\n",
        )
        .unwrap();
        let c = Config::load(&p).unwrap();
        let link = |kep, pull| CrioKepLink {
            kep: KepNumber::new(kep).unwrap(),
            pull,
        };
        assert_eq!(
            c.crio_kep_links(),
            [link(127, 8123), link(4639, 8123), link(4639, 8200)]
        );
        assert_eq!(c.tracking_repo, "containerd/containerd");
        assert!(Config::default().crio_kep_links().is_empty());
    }

    #[test]
    fn bad_crio_pulls_name_the_file_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kepboard.toml");
        for (table, words) in [
            ("KEP-4639 = [8123]", "\"KEP-4639\" is not a KEP number"),
            ("0 = [8123]", "\"0\" is not a KEP number"),
            ("4639 = [0]", "\"4639\": 0 is not a pull request number"),
            (
                "4639 = [8123, 8123]",
                "\"4639\": pull request 8123 is listed twice",
            ),
            (
                "4639 = [1]\n04639 = [2]",
                "\"4639\" names KEP-4639, which another",
            ),
        ] {
            std::fs::write(&p, format!("[crio_pulls]\n{table}\n")).unwrap();
            let e = format!("{:#}", Config::load(&p).unwrap_err());
            assert!(
                e.contains("kepboard.toml") && e.contains(words),
                "{table}: {e}"
            );
        }
        // Not numbers at all: TOML's own error, still naming the file and key.
        for table in ["4639 = 8123", "4639 = [-1]", "4639 = [\"8123\"]"] {
            std::fs::write(&p, format!("[crio_pulls]\n{table}\n")).unwrap();
            let e = format!("{:#}", Config::load(&p).unwrap_err());
            assert!(
                e.contains("kepboard.toml") && e.contains("4639"),
                "{table}: {e}"
            );
        }
    }
}
