//! Domain value types: KEP numbers, Kubernetes releases, containerd versions,
//! stages and GitHub logins.
//!
//! Each type parses the loose spellings found in real data (`v1.25` and
//! `1.25`, `GA` and `stable`, `@login` and `login`) in exactly one place and
//! orders the way people expect (`v1.9 < v1.10`, `v2.0.0-rc.1 < v2.0.0`).
//! Everything here is pure: no I/O, no knowledge of where a value came from.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

/// A KEP number, e.g. `127` for "Support User Namespaces". Never 0: the
/// `0000` folders of kubernetes/enhancements are templates, not KEPs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct KepNumber(NonZeroU32);

impl TryFrom<u32> for KepNumber {
    type Error = String;
    fn try_from(n: u32) -> Result<Self, Self::Error> {
        KepNumber::new(n).ok_or_else(|| "a KEP number is never 0".to_string())
    }
}

impl From<KepNumber> for u32 {
    fn from(n: KepNumber) -> u32 {
        n.get()
    }
}

impl KepNumber {
    /// `None` for 0.
    pub fn new(n: u32) -> Option<KepNumber> {
        NonZeroU32::new(n).map(KepNumber)
    }

    /// The number itself.
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// Parses `127`, `#127`, `KEP-127`, `kep 127` (surrounding text is not accepted).
    pub fn parse(s: &str) -> Option<KepNumber> {
        let s = s.trim();
        let s = strip_prefix_ci(s, "kep").unwrap_or(s);
        let s = s.trim_start_matches(['-', ' ', ':', '#']);
        if s.is_empty() || s.len() > 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().and_then(KepNumber::new)
    }
}

impl fmt::Display for KepNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Kubernetes minor release such as `v1.36`. Patch levels are dropped:
/// KEP milestones and release cycles are per minor release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct K8sRelease {
    /// The major version (1 for every Kubernetes release so far).
    pub major: u16,
    /// The minor version.
    pub minor: u16,
}

impl K8sRelease {
    /// The release `v{major}.{minor}`.
    pub const fn new(major: u16, minor: u16) -> Self {
        K8sRelease { major, minor }
    }

    /// Parses `v1.25`, `1.25`, `v1.25.3`, `V1.25`. Values that mean "none"
    /// in kep.yaml (`0.0`, `TBD`, empty) give `None`, as does anything else.
    pub fn parse(s: &str) -> Option<K8sRelease> {
        let s = s.trim().trim_matches(['"', '\'']);
        let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
        let mut parts = s.split('.');
        let major: u16 = parse_small(parts.next()?)?;
        let minor: u16 = parse_small(parts.next()?)?;
        if let Some(patch) = parts.next() {
            // `v1.25.3` or `v1.25.0-rc.1`: the patch part must start with a digit.
            if !patch.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
        }
        if major == 0 {
            return None;
        }
        Some(K8sRelease { major, minor })
    }

    /// The release just before this one, if any (`v1.0` has none).
    pub fn previous(self) -> Option<K8sRelease> {
        self.minor
            .checked_sub(1)
            .map(|m| K8sRelease::new(self.major, m))
    }

    /// The release just after this one (`None` past the largest minor).
    pub fn next(self) -> Option<K8sRelease> {
        self.minor
            .checked_add(1)
            .map(|m| K8sRelease::new(self.major, m))
    }

    /// The path segment used in site URLs: `v1.36`.
    pub fn slug(self) -> String {
        self.to_string()
    }
}

fn parse_small(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for K8sRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}", self.major, self.minor)
    }
}

impl FromStr for K8sRelease {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        K8sRelease::parse(s)
            .ok_or_else(|| format!("not a Kubernetes release: {s:?} (expected e.g. v1.36)"))
    }
}

impl Serialize for K8sRelease {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for K8sRelease {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A containerd release version such as `v2.0.0-rc.1`, ordered by semver
/// precedence (so `v2.0.0-rc.1 < v2.0.0`, `v1.7.10 > v1.7.9`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerdVersion(semver::Version);

impl ContainerdVersion {
    /// Parses a release tag: `v2.1.0`, `2.1.0`, `v1.0.0-alpha0`. Tags of the
    /// Go API module (`api/v1.0.0`) are not containerd releases and give `None`.
    pub fn parse(tag: &str) -> Option<ContainerdVersion> {
        let t = tag.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        semver::Version::parse(t).ok().map(ContainerdVersion)
    }
    /// Parses a containerd release tag, which is always `v`-prefixed: the
    /// unprefixed 2015 tags (`0.0.2`) are not a containerd release line.
    pub fn from_tag(tag: &str) -> Option<ContainerdVersion> {
        tag.trim()
            .strip_prefix('v')
            .and_then(|t| semver::Version::parse(t).ok())
            .map(ContainerdVersion)
    }
    /// The major version.
    pub fn major(&self) -> u64 {
        self.0.major
    }
    /// The minor version.
    pub fn minor(&self) -> u64 {
        self.0.minor
    }
    /// The patch version.
    pub fn patch(&self) -> u64 {
        self.0.patch
    }
    /// An `-alpha`, `-beta` or `-rc` release.
    pub fn is_prerelease(&self) -> bool {
        !self.0.pre.is_empty()
    }
    /// The minor release line, e.g. `v2.2` for `v2.2.1`.
    pub fn line(&self) -> ContainerdLine {
        ContainerdLine {
            major: self.0.major,
            minor: self.0.minor,
        }
    }
}

impl Ord for ContainerdVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .cmp_precedence(&other.0)
            .then_with(|| self.0.cmp(&other.0))
    }
}
impl PartialOrd for ContainerdVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ContainerdVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl Serialize for ContainerdVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ContainerdVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ContainerdVersion::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a containerd version: {s:?}")))
    }
}

/// A containerd minor release line such as `v2.2`: every `v2.2.Z` release
/// and prerelease belongs to it, and a backport branch `release/2.2` targets
/// it. Ordered by number (`v1.7 < v2.0 < v2.10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerdLine {
    major: u64,
    minor: u64,
}

impl ContainerdLine {
    /// The line `vMAJOR.MINOR`.
    pub const fn new(major: u64, minor: u64) -> Self {
        ContainerdLine { major, minor }
    }

    /// Parses `v2.2` or `2.2` (nothing before or after).
    pub fn parse(s: &str) -> Option<ContainerdLine> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let (major, minor) = s.split_once('.')?;
        let number = |p: &str| -> Option<u64> {
            (!p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        Some(ContainerdLine::new(number(major)?, number(minor)?))
    }

    /// The line a backport branch targets: containerd's `release/2.1` →
    /// `v2.1`, CRI-O's `release-1.33` → `v1.33`.
    pub fn from_release_branch(branch: &str) -> Option<ContainerdLine> {
        let rest = branch
            .strip_prefix("release/")
            .or_else(|| branch.strip_prefix("release-"))?;
        ContainerdLine::parse(rest)
    }

    /// Whether `v` is a release (or prerelease) of this line.
    pub fn contains(self, v: &ContainerdVersion) -> bool {
        v.line() == self
    }
}

impl fmt::Display for ContainerdLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}", self.major, self.minor)
    }
}

impl Serialize for ContainerdLine {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The maturity stage of a KEP in one Kubernetes release. Names are as in
/// kep.yaml (`stable`, not `GA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Alpha: behind a gate, off by default.
    Alpha,
    /// Beta: gate off or on by default.
    Beta,
    /// Stable (GA).
    Stable,
    /// Deprecated.
    Deprecated,
    /// Removed.
    Removed,
}

impl Stage {
    /// Parses a stage word: `alpha`, `Beta`, `GA`, `stable`, `"alpha" # comment`.
    pub fn parse(s: &str) -> Option<Stage> {
        let s = s.split('#').next().unwrap_or("");
        let s = s
            .trim()
            .trim_matches(['"', '\'', '.', ' '])
            .to_ascii_lowercase();
        Some(match s.as_str() {
            "alpha" => Stage::Alpha,
            "beta" => Stage::Beta,
            "stable" | "ga" | "general availability" => Stage::Stable,
            "deprecated" => Stage::Deprecated,
            "removed" => Stage::Removed,
            _ => return None,
        })
    }
    /// The name as kep.yaml writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Alpha => "alpha",
            Stage::Beta => "beta",
            Stage::Stable => "stable",
            Stage::Deprecated => "deprecated",
            Stage::Removed => "removed",
        }
    }
    /// The graduation stages a KEP moves through, in order.
    pub const GRADUATION: [Stage; 3] = [Stage::Alpha, Stage::Beta, Stage::Stable];
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a beta feature gate is on by default, as the tracking template
/// distinguishes (`beta w/gate off`, `beta w/gate on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GateDefault {
    /// Off by default (`beta w/gate off`).
    Off,
    /// On by default (`beta w/gate on`).
    On,
}

/// A GitHub login, stored as written (without `@`) and compared without case,
/// as GitHub does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Login(String);

impl Login {
    /// Accepts `@rata`, `rata`, `rata.` (trailing `.`, `,`, `;`, `:`, `)`
    /// dropped). Returns `None` for anything GitHub would not accept as a
    /// login: GitHub allows ASCII letters, digits and single hyphens, not at
    /// the start or the end, at most 39 characters (no underscore).
    pub fn parse(s: &str) -> Option<Login> {
        let s = s.trim().trim_end_matches(['.', ',', ';', ':', ')']);
        let s = s.strip_prefix('@').unwrap_or(s);
        let valid = !s.is_empty()
            && s.len() <= 39
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        valid.then(|| Login(s.to_string()))
    }
    /// The login as written, without `@`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The case-folded form used for comparison and as an HTML anchor.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl PartialEq for Login {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}
impl Eq for Login {}
impl std::hash::Hash for Login {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.key().hash(h)
    }
}
/// Ordered like [`Eq`] compares: without case, so `AkihiroSuda` and
/// `akihirosuda` are one entry in a set or map.
impl Ord for Login {
    fn cmp(&self, other: &Self) -> Ordering {
        let lower = |s: &str| {
            s.bytes()
                .map(|b| b.to_ascii_lowercase())
                .collect::<Vec<u8>>()
        };
        lower(&self.0).cmp(&lower(&other.0))
    }
}
impl PartialOrd for Login {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Kubernetes SIG name such as `sig-node`, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SigName(String);

impl SigName {
    /// Accepts `sig-node`, `SIG-Node`, `@kubernetes/sig-node` style names.
    pub fn parse(s: &str) -> Option<SigName> {
        let s = s.trim().trim_end_matches(['.', ',']);
        let s = s.strip_prefix('@').unwrap_or(s);
        let s = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
        let rest = s.strip_prefix("sig-").or_else(|| s.strip_prefix("wg-"))?;
        let valid =
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        valid.then_some(SigName(s))
    }
    /// The SIG name, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SigName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kep_numbers() {
        assert_eq!(
            KepNumber::parse("KEP-6061"),
            Some(KepNumber::new(6061).unwrap())
        );
        assert_eq!(
            KepNumber::parse("6061"),
            Some(KepNumber::new(6061).unwrap())
        );
        assert_eq!(
            KepNumber::parse("#6061"),
            Some(KepNumber::new(6061).unwrap())
        );
        assert_eq!(
            KepNumber::parse("kep 127"),
            Some(KepNumber::new(127).unwrap())
        );
        assert_eq!(KepNumber::parse("NNNN"), None);
        assert_eq!(KepNumber::parse("0"), None);
        assert_eq!(KepNumber::parse(""), None);
    }

    #[test]
    fn k8s_releases_parse_and_order() {
        assert_eq!(K8sRelease::parse("v1.25"), Some(K8sRelease::new(1, 25)));
        assert_eq!(K8sRelease::parse("1.25"), Some(K8sRelease::new(1, 25)));
        assert_eq!(K8sRelease::parse("\"v1.25\""), Some(K8sRelease::new(1, 25)));
        assert_eq!(K8sRelease::parse("v1.25.3"), Some(K8sRelease::new(1, 25)));
        assert_eq!(K8sRelease::parse("0.0"), None);
        assert_eq!(K8sRelease::parse("TBD"), None);
        assert_eq!(K8sRelease::parse(""), None);
        assert_eq!(K8sRelease::parse("1.x"), None);
        assert!(K8sRelease::parse("v1.9") < K8sRelease::parse("v1.10"));
        assert_eq!(K8sRelease::new(1, 36).to_string(), "v1.36");
        let json = serde_json::to_string(&K8sRelease::new(1, 9)).unwrap();
        assert_eq!(json, "\"v1.9\"");
        assert_eq!(
            serde_json::from_str::<K8sRelease>(&json).unwrap(),
            K8sRelease::new(1, 9)
        );
    }

    #[test]
    fn containerd_versions_order_by_precedence() {
        let v = |s| ContainerdVersion::parse(s).unwrap();
        assert!(v("v2.0.0-rc.1") < v("v2.0.0"));
        assert!(v("v2.0.0-beta.2") < v("v2.0.0-rc.0"));
        assert!(v("v1.7.9") < v("v1.7.10"));
        assert!(v("v1.0.0-alpha0") < v("v1.0.0-alpha1"));
        assert!(v("v2.2.0-rc.0").is_prerelease());
        assert_eq!(v("2.1.3").to_string(), "v2.1.3");
        assert_eq!(v("v2.1.3").line().to_string(), "v2.1");
        assert_eq!(v("v2.1.3").line(), v("v2.1.0-rc.0").line());
        assert_eq!(ContainerdVersion::parse("api/v1.0.0"), None);
        assert_eq!(ContainerdVersion::from_tag("0.0.2"), None);
        assert_eq!(ContainerdVersion::from_tag("v2.1.3"), Some(v("2.1.3")));
    }

    #[test]
    fn containerd_lines() {
        let l = |s| ContainerdLine::parse(s).unwrap();
        assert_eq!(l("v2.2"), ContainerdLine::new(2, 2));
        assert_eq!(l("2.2"), l("v2.2"));
        assert!(l("v1.7") < l("v2.0") && l("v2.9") < l("v2.10"));
        assert_eq!(l("v2.10").to_string(), "v2.10");
        assert_eq!(serde_json::to_string(&l("v2.2")).unwrap(), "\"v2.2\"");
        for bad in ["v2", "2.2.1", "v2.x", "", ".2", "release/2.2"] {
            assert_eq!(ContainerdLine::parse(bad), None, "{bad}");
        }
        assert_eq!(
            ContainerdLine::from_release_branch("release/2.1"),
            Some(l("v2.1"))
        );
        assert_eq!(
            ContainerdLine::from_release_branch("release/v1.7"),
            Some(l("v1.7"))
        );
        assert_eq!(ContainerdLine::from_release_branch("main"), None);
        // CRI-O's release branches.
        assert_eq!(
            ContainerdLine::from_release_branch("release-1.33"),
            Some(l("v1.33"))
        );
        let v = |s| ContainerdVersion::parse(s).unwrap();
        assert!(l("v2.2").contains(&v("v2.2.0-rc.1")) && !l("v2.2").contains(&v("v2.1.9")));
    }

    #[test]
    fn stages() {
        assert_eq!(Stage::parse("GA"), Some(Stage::Stable));
        assert_eq!(Stage::parse("stable"), Some(Stage::Stable));
        assert_eq!(
            Stage::parse("\"alpha\" # alpha|beta|stable"),
            Some(Stage::Alpha)
        );
        assert_eq!(Stage::parse("Beta."), Some(Stage::Beta));
        assert_eq!(Stage::parse("gamma"), None);
        assert!(Stage::Alpha < Stage::Beta && Stage::Beta < Stage::Stable);
    }

    #[test]
    fn logins() {
        assert_eq!(Login::parse("@rata").unwrap().as_str(), "rata");
        assert_eq!(Login::parse("kannon92.").unwrap().as_str(), "kannon92");
        assert_eq!(Login::parse("@AkihiroSuda"), Login::parse("akihirosuda"));
        assert_eq!(Login::parse("see issue"), None);
        assert_eq!(Login::parse("<script>"), None);
        assert_eq!(Login::parse("-x"), None);
    }

    #[test]
    fn logins_follow_githubs_rules() {
        let ok = |s: &str| Login::parse(s).map(|l| l.as_str().to_string());
        assert_eq!(ok("mike-brown").as_deref(), Some("mike-brown"));
        assert_eq!(ok("@a-b-c,").as_deref(), Some("a-b-c"));
        assert_eq!(ok("rst0git;").as_deref(), Some("rst0git"));
        assert_eq!(ok("@fuweid)").as_deref(), Some("fuweid"));
        assert_eq!(ok("  k8s-ci-robot:  ").as_deref(), Some("k8s-ci-robot"));
        // 39 characters is the most GitHub allows.
        let longest = "a".repeat(39);
        assert_eq!(ok(&longest).as_deref(), Some(longest.as_str()));
        assert_eq!(ok(&"a".repeat(40)), None);
        for bad in [
            "mike_brow",
            "mike--brow",
            "mikebrow-",
            "-mikebrow",
            "@",
            "",
            "mike brow",
            "mike.brow",
            "me@example",
            "Süda",
            "@@x",
        ] {
            assert_eq!(Login::parse(bad), None, "{bad}");
        }
        // Comparison stays case-insensitive.
        assert_eq!(Login::parse("Mike-Brow"), Login::parse("@mike-brow"));
        assert_eq!(Login::parse("Mike-Brow").unwrap().key(), "mike-brow");
    }

    #[test]
    fn logins_compare_order_and_hash_alike() {
        use std::collections::{BTreeSet, HashSet};
        let a = Login::parse("@AkihiroSuda").unwrap();
        let b = Login::parse("akihirosuda").unwrap();
        assert_eq!(a.cmp(&b), Ordering::Equal);
        assert_eq!(BTreeSet::from([&a, &b]).len(), 1);
        assert_eq!(HashSet::from([&a, &b]).len(), 1);
    }

    #[test]
    fn kep_numbers_are_never_zero() {
        assert_eq!(KepNumber::new(0), None);
        assert!(serde_json::from_str::<KepNumber>("0").is_err());
        assert_eq!(serde_json::from_str::<KepNumber>("127").unwrap().get(), 127);
        assert_eq!(
            serde_json::to_string(&KepNumber::new(127).unwrap()).unwrap(),
            "127"
        );
    }

    #[test]
    fn sig_names() {
        assert_eq!(
            SigName::parse("sig-network").unwrap().as_str(),
            "sig-network"
        );
        assert_eq!(SigName::parse("SIG-Node.").unwrap().as_str(), "sig-node");
        assert_eq!(
            SigName::parse("@kubernetes/sig-node").unwrap().as_str(),
            "sig-node"
        );
        assert_eq!(SigName::parse("rata"), None);
    }
}
