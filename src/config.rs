//! `kepboard.toml`: where `fetch` gathers from. Every key has a default
//! that is right for containerd, so no file at all is the common case.
//!
//! ```toml
//! tracking_repo = "containerd/containerd"
//! # GitHub searches that find tracking and related issues ({repo} is
//! # replaced); the tracking-issue rule then keeps only the relevant ones.
//! issue_searches = ['repo:{repo} is:issue "SIG-Node" in:title', "repo:{repo} is:issue KEP"]
//! releases_md = "RELEASES.md"
//! enhancements_repo = "kubernetes/enhancements"
//! enhancements_branch = "master"
//! keps_dir = "keps"
//! kubernetes_repo = "kubernetes/kubernetes"
//! ```

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::Path;

/// Where `fetch` gathers from; see the module docs for the keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `owner/name` of the repository with the tracking issues.
    pub tracking_repo: String,
    /// GitHub issue searches that find candidate issues (`{repo}` is replaced).
    pub issue_searches: Vec<String>,
    /// The path of RELEASES.md (the support matrix) in the tracking repository.
    pub releases_md: String,
    /// `owner/name` of the repository with the KEPs.
    pub enhancements_repo: String,
    /// The branch the kep.yaml files are read from.
    pub enhancements_branch: String,
    /// The folder of the KEPs in that repository.
    pub keps_dir: String,
    /// `owner/name` of Kubernetes, for its release dates.
    pub kubernetes_repo: String,
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
            releases_md: "RELEASES.md".into(),
            enhancements_repo: "kubernetes/enhancements".into(),
            enhancements_branch: "master".into(),
            keps_dir: "keps".into(),
            kubernetes_repo: "kubernetes/kubernetes".into(),
        }
    }
}

impl Config {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
        };
        let c: Config =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        c.validate()
            .with_context(|| format!("{}: invalid configuration", path.display()))?;
        Ok(c)
    }

    fn validate(&self) -> Result<()> {
        for (key, repo) in [
            ("tracking_repo", &self.tracking_repo),
            ("enhancements_repo", &self.enhancements_repo),
            ("kubernetes_repo", &self.kubernetes_repo),
        ] {
            if split_repo(repo).is_none() {
                bail!("{key} = {repo:?} is not owner/name");
            }
        }
        if self.issue_searches.is_empty() {
            bail!("issue_searches is empty: no issue would be fetched");
        }
        Ok(())
    }

    /// The searches with `{repo}` filled in.
    pub fn searches(&self) -> Vec<String> {
        self.issue_searches
            .iter()
            .map(|s| s.replace("{repo}", &self.tracking_repo))
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
            Config::default()
        );
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "tracking_repo = \"me/fork\"\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.tracking_repo, "me/fork");
        assert!(c.searches()[0].starts_with("repo:me/fork "));
        std::fs::write(&p, "tracking_repo = \"nope\"\n").unwrap();
        assert!(Config::load(&p).unwrap_err().to_string().contains("k.toml"));
        std::fs::write(&p, "unknown_key = 1\n").unwrap();
        let e = format!("{:#}", Config::load(&p).unwrap_err());
        assert!(e.contains("k.toml") && e.contains("unknown_key"), "{e}");
    }
}
