//! Links to GitHub: every github.com URL kepboard builds itself, from the
//! repositories the snapshot was gathered from (`kepboard.toml`), never
//! from names written into code or templates.
//!
//! URLs that GitHub gave us (`html_url` of an issue, PR or release) are
//! used as given; this module only builds the ones it has to.

use crate::domain::{KepNumber, Login};
use serde::{Deserialize, Serialize};

/// Where the KEP metadata lives: kubernetes/enhancements unless configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enhancements {
    /// `owner/name` of the enhancements repository.
    pub repo: String,
    /// The branch the kep.yaml files were read from.
    pub branch: String,
    /// The folder of the KEPs in that repository.
    pub keps_dir: String,
}

impl Default for Enhancements {
    fn default() -> Self {
        Enhancements {
            repo: "kubernetes/enhancements".into(),
            branch: "master".into(),
            keps_dir: "keps".into(),
        }
    }
}

const WEB: &str = "https://github.com";

/// CRI-O's repository (not configurable yet).
const CRIO_REPO: &str = "cri-o/cri-o";

/// Builds github.com URLs for one snapshot's repositories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitHubLinks {
    tracking_repo: String,
    enhancements: Enhancements,
}

impl GitHubLinks {
    /// Links for issues of `tracking_repo` and KEPs of `enhancements`.
    pub fn new(tracking_repo: &str, enhancements: &Enhancements) -> GitHubLinks {
        GitHubLinks {
            tracking_repo: tracking_repo.to_string(),
            enhancements: enhancements.clone(),
        }
    }

    /// `owner/name` of the tracking repository.
    pub fn tracking_repo(&self) -> &str {
        &self.tracking_repo
    }

    /// An issue of the tracking repository.
    pub fn issue(&self, number: u64) -> String {
        format!("{WEB}/{}/issues/{number}", self.tracking_repo)
    }

    /// A pull request of the tracking repository.
    pub fn pull(&self, number: u64) -> String {
        format!("{WEB}/{}/pull/{number}", self.tracking_repo)
    }

    /// A pull request of CRI-O.
    pub fn crio_pull(&self, number: u64) -> String {
        format!("{WEB}/{CRIO_REPO}/pull/{number}")
    }

    /// The KEP's own issue in the enhancements repository.
    pub fn enhancement(&self, number: KepNumber) -> String {
        format!("{WEB}/{}/issues/{number}", self.enhancements.repo)
    }

    /// A kep.yaml, by its path under the KEPs folder.
    pub fn kep_yaml(&self, path: &str) -> String {
        let e = &self.enhancements;
        format!("{WEB}/{}/blob/{}/{}/{path}", e.repo, e.branch, e.keps_dir)
    }

    /// The README.md next to a kep.yaml.
    pub fn kep_readme(&self, kep_yaml_path: &str) -> String {
        let dir = kep_yaml_path.rsplit_once('/').map_or("", |(d, _)| d);
        self.kep_yaml(&format!("{dir}/README.md"))
    }

    /// A GitHub user's profile.
    pub fn user(&self, login: &Login) -> String {
        format!("{WEB}/{login}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_configured_repositories() {
        let l = GitHubLinks::new("containerd/containerd", &Enhancements::default());
        assert_eq!(
            l.issue(14267),
            "https://github.com/containerd/containerd/issues/14267"
        );
        assert_eq!(
            l.enhancement(KepNumber::new(127).unwrap()),
            "https://github.com/kubernetes/enhancements/issues/127"
        );
        let path = "sig-node/127-user-namespaces/kep.yaml";
        assert_eq!(
            l.kep_readme(path),
            "https://github.com/kubernetes/enhancements/blob/master/keps/sig-node/127-user-namespaces/README.md"
        );
        let fork = Enhancements {
            repo: "me/enh".into(),
            branch: "main".into(),
            keps_dir: "k".into(),
        };
        let l = GitHubLinks::new("cri-o/cri-o", &fork);
        assert_eq!(
            l.kep_yaml(path),
            format!("https://github.com/me/enh/blob/main/k/{path}")
        );
        assert_eq!(l.pull(1), "https://github.com/cri-o/cri-o/pull/1");
    }
}
