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
    /// The full history of the matrix, every KEP of interest and every
    /// release: `keps/all/` (`keps/` shows the recent releases).
    pub fn matrix_all() -> Self {
        PagePath("keps/all/".into())
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
    /// The filter script of pages with KEP tables: `filter.js`.
    pub fn script() -> Self {
        PagePath("filter.js".into())
    }
    /// The site's icon: `favicon.svg`.
    pub fn favicon() -> Self {
        PagePath("favicon.svg".into())
    }
    /// The icon browsers and crawlers ask for without a link: `favicon.ico`.
    pub fn favicon_ico() -> Self {
        PagePath("favicon.ico".into())
    }
    /// `robots.txt`.
    pub fn robots() -> Self {
        PagePath("robots.txt".into())
    }
    /// An SVG chart: `charts/NAME.svg`.
    pub fn chart(name: &str) -> Self {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        PagePath(format!("charts/{name}.svg"))
    }

    /// The narrow drawing of a chart, for phones: `charts/NAME-narrow.svg`.
    pub fn chart_narrow(name: &str) -> Self {
        PagePath::chart(&format!("{name}-narrow"))
    }
    /// A KEP's status badge, to embed elsewhere: `kep/127/badge.svg`
    /// (live site only).
    pub fn kep_badge(n: KepNumber) -> Self {
        PagePath(format!("kep/{n}/badge.svg"))
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

/// `link` to the element `anchor` of its page: `../../kep/127/index.html#issue-12104`.
pub fn anchored(link: &str, anchor: &str) -> String {
    format!("{link}#{anchor}")
}

/// Turns page paths into links for one deployment.
///
/// Links between pages are relative to the page they are on and name the
/// file (`../../k8s/v1.36/index.html`), as mdBook's are: the same build
/// works served at `/`, under `/kepboard/`, and opened from disk
/// (`file://`, where a browser does not turn `dir/` into `dir/index.html`).
/// The clean directory URL (`https://host/kepboard/k8s/v1.36/`), the one
/// people share, is what the site URL gives: canonical links, `og:url`,
/// the sitemap and the feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Urls {
    /// Path part of the site URL (or of a path-only `--base-url`), starting
    /// and ending with `/`: only the 404 page links with it.
    base_path: Option<String>,
    /// Scheme and host of the site URL.
    origin: Option<String>,
}

impl Urls {
    /// No site URL: every link relative, no absolute URL known.
    pub fn unknown() -> Urls {
        Urls::default()
    }

    /// `--site-url`: an absolute `https://containerd.github.io/kepboard`
    /// (with or without the trailing `/`).
    pub fn site_url(url: &str) -> Result<Urls, String> {
        let u = Urls::new(url)?;
        if u.origin.is_none() {
            return Err(format!(
                "site URL {:?} is not absolute: give http(s)://host/path/",
                url.trim()
            ));
        }
        Ok(u)
    }

    /// The old `--base-url`: an absolute URL is the site URL; a path only
    /// (`/`, `/kepboard/`, `kepboard`) is where the 404 page links to.
    pub fn new(base_url: &str) -> Result<Urls, String> {
        let s = base_url.trim();
        let (origin, path) = match s.split_once("://") {
            Some((scheme, rest)) => {
                if scheme != "https" && scheme != "http" {
                    return Err(format!("base URL {s:?}: only http and https are supported"));
                }
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                let host_ok = host.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']')
                });
                if host.is_empty() || !host_ok {
                    return Err(format!("base URL {s:?} has no valid host"));
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
        Ok(Urls {
            base_path: Some(base_path),
            origin,
        })
    }

    /// Whether the site URL is known (absolute URLs can be given).
    pub fn has_site_url(&self) -> bool {
        self.origin.is_some()
    }

    /// The link from page `from` to `to`, both relative to the site root.
    ///
    /// Relative to `from` ([`Urls::relative`]), except on the 404 page:
    /// the server shows it for a missing path at any depth, so its links
    /// are root-absolute (`/kepboard/k8s/v1.36/`) when the base path is
    /// known, else relative from the root.
    pub fn link(&self, from: &PagePath, to: &PagePath) -> String {
        if *from != PagePath::not_found() {
            return Urls::relative(from, to);
        }
        match &self.base_path {
            Some(base) => format!("{base}{}", to.as_str()),
            None => Urls::relative(&PagePath::home(), to),
        }
    }

    /// The link from page `from` to the file of `to`, relative: `from`'s
    /// directory is left with `../` as far as they differ, and a page is
    /// named by its file (`k8s/v1.36/index.html`), so it opens from disk.
    pub fn relative(from: &PagePath, to: &PagePath) -> String {
        let from_dir: Vec<&str> = match from.as_str().rsplit_once('/') {
            Some((dir, _)) => dir.split('/').collect(),
            None => Vec::new(),
        };
        let file = to.file();
        let target: Vec<&str> = file.split('/').collect();
        let (target_dir, name) = target.split_at(target.len() - 1);
        let common = from_dir
            .iter()
            .zip(target_dir)
            .take_while(|(a, b)| a == b)
            .count();
        let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
        parts.extend(&target_dir[common..]);
        parts.extend(name);
        parts.join("/")
    }

    /// The absolute, clean URL of a page when the site URL is known:
    /// `https://containerd.github.io/kepboard/k8s/v1.36/`. The 404 page
    /// has no URL of its own.
    pub fn canonical(&self, p: &PagePath) -> Option<String> {
        let origin = self.origin.as_ref()?;
        let base = self.base_path.as_deref().unwrap_or("/");
        (*p != PagePath::not_found()).then(|| format!("{origin}{base}{}", p.as_str()))
    }

    /// For the files at the site root (the feed): the absolute URL when
    /// the site URL is known, else the link from the root, which is the
    /// link from that file.
    pub fn absolute(&self, p: &PagePath) -> String {
        self.canonical(p)
            .unwrap_or_else(|| Urls::relative(&PagePath::home(), p))
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
        assert_eq!(PagePath::matrix_all().file(), "keps/all/index.html");
        assert_eq!(PagePath::script().file(), "filter.js");
        let kep = PagePath::kep(KepNumber::new(127).unwrap());
        let badge = PagePath::kep_badge(KepNumber::new(127).unwrap());
        assert_eq!(badge.file(), "kep/127/badge.svg");
        assert_eq!(Urls::relative(&kep, &badge), "badge.svg");
        assert_eq!(
            PagePath::chart_narrow("containerd-lag").file(),
            "charts/containerd-lag-narrow.svg"
        );
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
    fn relative_links() {
        let r = K8sRelease::new(1, 36);
        let kep = PagePath::kep(KepNumber::new(127).unwrap());
        let rel = |from: &PagePath, to: &PagePath| Urls::relative(from, to);
        let home = PagePath::home();
        assert_eq!(rel(&home, &PagePath::release(r)), "k8s/v1.36/index.html");
        assert_eq!(rel(&home, &home), "index.html");
        assert_eq!(
            rel(&kep, &PagePath::release(r)),
            "../../k8s/v1.36/index.html"
        );
        assert_eq!(rel(&kep, &home), "../../index.html");
        assert_eq!(rel(&kep, &kep), "index.html");
        assert_eq!(rel(&PagePath::matrix(), &kep), "../kep/127/index.html");
        assert_eq!(
            anchored(&rel(&PagePath::health(), &kep), &issue_anchor(12104)),
            "../kep/127/index.html#issue-12104"
        );
        assert_eq!(rel(&home, &PagePath::keps_json()), "data/keps.json");
        assert_eq!(rel(&kep, &PagePath::stylesheet()), "../../style.css");
        assert_eq!(
            rel(&PagePath::matrix_all(), &PagePath::script()),
            "../../filter.js"
        );
        assert_eq!(
            rel(&PagePath::matrix_all(), &PagePath::matrix()),
            "../index.html"
        );
        assert_eq!(
            rel(&PagePath::release(r), &PagePath::chart("keps-by-stage")),
            "../../charts/keps-by-stage.svg"
        );
        assert_eq!(rel(&PagePath::feed(), &kep), "kep/127/index.html");
        // Archive pages, to their own pages and to the live site's.
        let a = PagePath::archive(K8sRelease::new(1, 35));
        let akep = kep.under(&a);
        assert_eq!(
            rel(&akep, &PagePath::release(r).under(&a)),
            "../../k8s/v1.36/index.html"
        );
        assert_eq!(rel(&akep, &PagePath::stylesheet()), "../../../../style.css");
        assert_eq!(rel(&akep, &a), "../../index.html");
        assert_eq!(rel(&PagePath::archives(), &a), "v1.35/index.html");
        assert_eq!(rel(&a, &PagePath::archives()), "../index.html");
        assert_eq!(
            rel(
                &PagePath::containerd_line(ContainerdLine::new(2, 2)),
                &PagePath::containerd()
            ),
            "../index.html"
        );
    }

    #[test]
    fn the_404_page_links_from_the_base_path() {
        let nf = PagePath::not_found();
        let r = PagePath::release(K8sRelease::new(1, 36));
        let site = Urls::site_url("https://containerd.github.io/kepboard").unwrap();
        assert_eq!(site.link(&nf, &r), "/kepboard/k8s/v1.36/");
        assert_eq!(
            site.link(&nf, &PagePath::stylesheet()),
            "/kepboard/style.css"
        );
        assert_eq!(Urls::new("/").unwrap().link(&nf, &r), "/k8s/v1.36/");
        // Unknown: relative from the root (right for /404.html).
        assert_eq!(Urls::unknown().link(&nf, &r), "k8s/v1.36/index.html");
        // Every other page links relatively, whatever the site URL.
        assert_eq!(site.link(&PagePath::home(), &r), "k8s/v1.36/index.html");
    }

    #[test]
    fn site_urls() {
        let a = Urls::site_url("https://containerd.github.io/kepboard").unwrap();
        assert_eq!(
            Urls::site_url("https://containerd.github.io/kepboard/").unwrap(),
            a
        );
        assert_eq!(
            Urls::new("https://containerd.github.io/kepboard").unwrap(),
            a
        );
        assert!(a.has_site_url());
        assert_eq!(
            a.canonical(&PagePath::release(K8sRelease::new(1, 36)))
                .as_deref(),
            Some("https://containerd.github.io/kepboard/k8s/v1.36/")
        );
        assert_eq!(a.canonical(&PagePath::not_found()), None);
        assert_eq!(
            a.absolute(&PagePath::feed()),
            "https://containerd.github.io/kepboard/feed.xml"
        );
        let root = Urls::site_url("http://localhost:8000").unwrap();
        assert_eq!(
            root.canonical(&PagePath::home()).as_deref(),
            Some("http://localhost:8000/")
        );
        // No site URL: nothing absolute; the feed links from the root.
        let none = Urls::unknown();
        assert!(!none.has_site_url());
        assert_eq!(none.canonical(&PagePath::home()), None);
        assert_eq!(none.absolute(&PagePath::feed()), "feed.xml");
        let path_only = Urls::new("/kepboard/").unwrap();
        assert_eq!(Urls::new("kepboard").unwrap(), path_only);
        assert!(!path_only.has_site_url());
        assert!(Urls::site_url("/kepboard/").is_err());
        assert!(Urls::new("/a/../b").is_err());
        assert!(Urls::new("javascript:alert(1)").is_err());
        assert!(Urls::site_url("ftp://host/").is_err());
        assert!(Urls::site_url("https:///x").is_err());
        assert!(Urls::site_url("https://ho\"st/").is_err());
        assert!(Urls::new("/x\"onload=").is_err());
    }
}
