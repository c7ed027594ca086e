//! The site's URL scheme, in one place.
//!
//! These URLs are a public interface (containerd's SIG-NODE.md links to
//! them): every page path is built here and nowhere else, from validated
//! domain values only, and the file each URL is written to is derived from
//! the same function, so links and files cannot disagree.

use crate::domain::{ContainerdLine, K8sRelease, KepNumber, Login};

/// Where a page lives, relative to the site root (or to an archive's root):
/// `""` for the overview, `"k8s/v1.36/"`, `"404.html"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PagePath(String);

impl PagePath {
    /// The overview: the site root.
    pub fn home() -> Self {
        PagePath(String::new())
    }
    /// A Kubernetes release: `k8s/v1.36/`.
    pub fn release(r: K8sRelease) -> Self {
        PagePath(format!("k8s/{}/", r.slug()))
    }
    /// The cross-release matrix: `keps/`.
    pub fn matrix() -> Self {
        PagePath("keps/".into())
    }
    /// One KEP: `kep/127/`.
    pub fn kep(n: KepNumber) -> Self {
        PagePath(format!("kep/{n}/"))
    }
    /// Process health: `health/`.
    pub fn health() -> Self {
        PagePath("health/".into())
    }
    /// SIG Node's runtime policy across releases: `policy/`.
    pub fn policy() -> Self {
        PagePath("policy/".into())
    }
    /// People: `people/`.
    pub fn people() -> Self {
        PagePath("people/".into())
    }
    /// The archive list: `archive/`.
    pub fn archives() -> Self {
        PagePath("archive/".into())
    }
    /// The root of a frozen archive: every archive page lives below it.
    pub fn archive(r: K8sRelease) -> Self {
        PagePath(format!("archive/{}/", r.slug()))
    }
    /// containerd releases and the Kubernetes support matrix.
    pub fn containerd() -> Self {
        PagePath("containerd/".into())
    }
    /// One containerd minor line, e.g. `containerd/v2.2/`.
    pub fn containerd_line(line: ContainerdLine) -> Self {
        PagePath(format!("containerd/{line}/"))
    }
    /// The joined model: `data/keps.json`.
    pub fn keps_json() -> Self {
        PagePath("data/keps.json".into())
    }
    /// The not-found page: `404.html`.
    pub fn not_found() -> Self {
        PagePath("404.html".into())
    }
    /// The sitemap: `sitemap.xml`.
    pub fn sitemap() -> Self {
        PagePath("sitemap.xml".into())
    }
    /// What changed between refreshes: `changes/` (live site only).
    pub fn changes() -> Self {
        PagePath("changes/".into())
    }
    /// The Atom feed: `feed.xml`.
    pub fn feed() -> Self {
        PagePath("feed.xml".into())
    }
    /// The stylesheet: `style.css`.
    pub fn stylesheet() -> Self {
        PagePath("style.css".into())
    }
    /// An SVG chart: `charts/NAME.svg`.
    pub fn chart(name: &str) -> Self {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        PagePath(format!("charts/{name}.svg"))
    }

    /// The page path of an output file written by [`PagePath::file`].
    pub(crate) fn from_file(file: &str) -> PagePath {
        PagePath(file.strip_suffix("index.html").unwrap_or(file).to_string())
    }

    /// This path below another one (an archive's root).
    pub fn under(&self, prefix: &PagePath) -> PagePath {
        PagePath(format!("{}{}", prefix.0, self.0))
    }

    /// The path, relative to the site root.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file this page is written to, relative to the output directory.
    pub fn file(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }

    /// Whether the file is an HTML page.
    pub fn is_html(&self) -> bool {
        self.file().ends_with(".html")
    }
}

/// The anchor of an issue's section on its KEP's page: `issue-13655`.
pub fn issue_anchor(number: u64) -> String {
    format!("issue-{number}")
}

/// The anchor of a person's row on `/people/`: the login without case.
pub fn person_anchor(login: &Login) -> String {
    login.key()
}

/// `link` to the element `anchor` of its page: `/kep/127/#issue-12104`.
pub fn anchored(link: &str, anchor: &str) -> String {
    format!("{link}#{anchor}")
}

/// Turns page paths into links for one deployment (`--base-url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// Path part of the base URL, starting and ending with `/`.
    base_path: String,
    /// Scheme and host when the base URL was absolute, for the sitemap and feed.
    origin: Option<String>,
}

impl Urls {
    /// Accepts `/`, `/kepboard/`, `kepboard`, or an absolute
    /// `https://containerd.github.io/kepboard/`.
    pub fn new(base_url: &str) -> Result<Urls, String> {
        let s = base_url.trim();
        let (origin, path) = match s.split_once("://") {
            Some((scheme, rest)) => {
                if scheme != "https" && scheme != "http" {
                    return Err(format!("base URL {s:?}: only http and https are supported"));
                }
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if host.is_empty() {
                    return Err(format!("base URL {s:?} has no host"));
                }
                (Some(format!("{scheme}://{host}")), path)
            }
            None => (None, s),
        };
        let trimmed = path.trim_matches('/');
        let ok = trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'~'));
        if !ok || trimmed.split('/').any(|seg| seg == ".." || seg == ".") {
            return Err(format!(
                "base URL path {path:?} may hold only letters, digits, '-', '_', '.', '~' and '/'"
            ));
        }
        let base_path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(Urls { base_path, origin })
    }

    /// The site-relative link to a page, e.g. `/kepboard/k8s/v1.36/`.
    pub fn link(&self, p: &PagePath) -> String {
        format!("{}{}", self.base_path, p.as_str())
    }

    /// The absolute URL when the base URL was absolute, else the link.
    pub fn absolute(&self, p: &PagePath) -> String {
        match &self.origin {
            Some(o) => format!("{o}{}", self.link(p)),
            None => self.link(p),
        }
    }

    /// The path part of the base URL: `/kepboard/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_files() {
        let r = K8sRelease::new(1, 36);
        assert_eq!(PagePath::release(r).as_str(), "k8s/v1.36/");
        assert_eq!(PagePath::release(r).file(), "k8s/v1.36/index.html");
        assert_eq!(PagePath::home().file(), "index.html");
        assert_eq!(
            PagePath::kep(KepNumber::new(127).unwrap()).as_str(),
            "kep/127/"
        );
        assert_eq!(PagePath::keps_json().file(), "data/keps.json");
        assert_eq!(
            anchored("/kep/127/", &issue_anchor(12104)),
            "/kep/127/#issue-12104"
        );
        assert_eq!(
            person_anchor(&Login::parse("@AkihiroSuda").unwrap()),
            "akihirosuda"
        );
        assert_eq!(
            PagePath::containerd_line(ContainerdLine::new(2, 2)).as_str(),
            "containerd/v2.2/"
        );
        assert_eq!(
            PagePath::kep(KepNumber::new(127).unwrap())
                .under(&PagePath::archive(r))
                .as_str(),
            "archive/v1.36/kep/127/"
        );
    }

    #[test]
    fn base_urls() {
        let u = Urls::new("/kepboard/").unwrap();
        assert_eq!(u.link(&PagePath::matrix()), "/kepboard/keps/");
        assert_eq!(Urls::new("kepboard").unwrap(), u);
        assert_eq!(Urls::new("/").unwrap().link(&PagePath::home()), "/");
        let a = Urls::new("https://containerd.github.io/kepboard").unwrap();
        assert_eq!(a.link(&PagePath::home()), "/kepboard/");
        assert_eq!(
            a.absolute(&PagePath::feed()),
            "https://containerd.github.io/kepboard/feed.xml"
        );
        assert!(Urls::new("/a/../b").is_err());
        assert!(Urls::new("javascript:alert(1)").is_err());
        assert!(Urls::new("/x\"onload=").is_err());
    }
}
