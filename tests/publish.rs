//! The Pages workflow's own steps (`.github/scripts/publish`, which
//! `.github/workflows/pages.yml` calls) against the mock GitHub and a
//! local bare repository standing in for this one: the data branch is
//! created on a first run, an unchanged run commits nothing, a Kubernetes
//! release is archived exactly once and never rewritten, and a failed
//! fetch still publishes the last good snapshot with a notice.

mod common;
use common::mock::{data_from, Data, Fault, FaultKind, Mock};
use common::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BRANCH: &str = "kepboard-data";
const SITE_URL: &str = "https://example.github.io/kepboard";

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o).trim().to_string()
}

/// A bare `origin` with a `main` branch, and the checkout a job makes.
struct Repo {
    _dir: tempfile::TempDir,
    origin: PathBuf,
    root: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let origin = dir.path().join("origin.git");
        git(
            dir.path(),
            &["init", "--quiet", "--bare", "-b", "main", "origin.git"],
        );
        let seed = dir.path().join("seed");
        git(
            dir.path(),
            &["clone", "--quiet", origin.to_str().unwrap(), "seed"],
        );
        std::fs::write(seed.join("README.md"), "the project\n").unwrap();
        git(&seed, &["add", "README.md"]);
        git(&seed, &["commit", "--quiet", "-m", "start"]);
        git(&seed, &["push", "--quiet", "origin", "HEAD:main"]);
        let root = dir.path().to_path_buf();
        Repo {
            _dir: dir,
            origin,
            root,
        }
    }

    /// A fresh checkout of `main`, as `actions/checkout` gives each job.
    fn checkout(&self, name: &str) -> PathBuf {
        let dir = self.root.join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        git(
            &self.root,
            &[
                "clone",
                "--quiet",
                "--depth=1",
                &format!("file://{}", self.origin.display()),
                name,
            ],
        );
        dir
    }

    /// Commits of the data branch, newest first (none before it exists).
    fn data_commits(&self) -> Vec<String> {
        let o = Command::new("git")
            .args(["rev-list", BRANCH])
            .current_dir(&self.origin)
            .output()
            .unwrap();
        stdout(&o).lines().map(String::from).collect()
    }

    /// The files of the data branch.
    fn data_files(&self) -> Vec<String> {
        git(&self.origin, &["ls-tree", "-r", "--name-only", BRANCH])
            .lines()
            .map(String::from)
            .collect()
    }

    /// The blob id of a file on the data branch.
    fn blob(&self, file: &str) -> String {
        git(&self.origin, &["rev-parse", &format!("{BRANCH}:{file}")])
    }
}

/// One step of the script, run as the workflow runs it.
fn publish(dir: &Path, mock: &Mock, args: &[&str]) -> Output {
    Command::new("bash")
        .arg(repo_root().join(".github/scripts/publish"))
        .args(args)
        .current_dir(dir)
        .env("KEPBOARD", env!("CARGO_BIN_EXE_kepboard"))
        .env(
            "KEPBOARD_FETCH_DIR",
            dir.parent().unwrap().join("fetch-cache"),
        )
        .env("KEPBOARD_FETCH_ARGS", "--max-wait 1 --timeout 10 --quiet")
        .env("SITE_URL", SITE_URL)
        .env("GITHUB_API_URL", &mock.url)
        .env("GITHUB_TOKEN", "test-token")
        .env_remove("GITHUB_GRAPHQL_URL")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_ACTIONS")
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("run .github/scripts/publish")
}

fn ok(o: Output, what: &str) -> String {
    assert!(
        o.status.success(),
        "{what} failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    format!("{}{}", stdout(&o), stderr(&o))
}

/// One workflow run: the `build` job (load, refresh) then the `record`
/// job (save) in a checkout of its own, given the build's data directory
/// as the artifact. Returns the build job's output and the site's root.
fn run(repo: &Repo, mock: &Mock) -> (String, PathBuf) {
    let build = repo.checkout("build");
    let mut said = ok(publish(&build, mock, &["load", "data"]), "load");
    said += &ok(
        publish(&build, mock, &["refresh", "data", "public"]),
        "refresh",
    );
    let artifact = repo.root.join("artifact");
    if artifact.exists() {
        std::fs::remove_dir_all(&artifact).unwrap();
    }
    copy_dir(&build.join("data"), &artifact);
    let record = repo.checkout("record");
    said += &ok(
        publish(&record, mock, &["save", artifact.to_str().unwrap()]),
        "save",
    );
    let site = repo.root.join("site");
    if site.exists() {
        std::fs::remove_dir_all(&site).unwrap();
    }
    std::fs::rename(build.join("public"), &site).unwrap();
    (said, site)
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The demo data, before Kubernetes v1.37's release.
fn demo_before_v1_37() -> Data {
    let d = repo_root().join("content/demo");
    let read = |n: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(d.join(n)).unwrap()).unwrap()
    };
    let mut k8s = read("kubernetes-releases.json");
    k8s.as_array_mut()
        .unwrap()
        .retain(|r| r["tag_name"] != "v1.37.0");
    let mut data = data_from(
        &d.join("issues.json"),
        &d.join("keps"),
        &read("containerd-releases.json"),
        &k8s,
        &d.join("RELEASES.md"),
    );
    data.feature_gates = Some(std::fs::read_to_string(d.join("feature-gates.yaml")).unwrap());
    data
}

fn html(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap()
}

#[test]
fn the_data_branch_remembers_archives_itself_and_survives_a_failed_fetch() {
    let repo = Repo::new();
    let mock = Mock::start(demo_before_v1_37());

    // 1. The first run creates the branch with the live snapshot.
    let (said, site) = run(&repo, &mock);
    assert!(said.contains("this run starts it"), "{said}");
    assert_eq!(repo.data_commits().len(), 1, "{said}");
    assert!(repo.data_files().contains(&"snapshot.json".to_string()));
    assert!(
        !repo.data_files().iter().any(|f| f.starts_with("archive/")),
        "a first run freezes nothing: {:?}",
        repo.data_files()
    );
    assert!(
        html(&site, "index.html").contains("v1.37"),
        "the cycle under way"
    );

    // 2. Nothing changed on GitHub: no commit.
    let (said, _) = run(&repo, &mock);
    assert!(said.contains("left unchanged"), "{said}");
    assert!(said.contains("no commit"), "{said}");
    assert_eq!(repo.data_commits().len(), 1);

    // 3. Kubernetes v1.37 is out: one commit, exactly one archive.
    {
        let mut d = mock.data.lock().unwrap();
        d.kubernetes_releases.insert(
            0,
            json!({"tag_name": "v1.37.0", "published_at": "2026-08-26T17:00:00Z",
                   "html_url": "https://github.com/kubernetes/kubernetes/releases/tag/v1.37.0"}),
        );
        d.version += 1;
    }
    let (said, site) = run(&repo, &mock);
    assert_eq!(repo.data_commits().len(), 2, "{said}");
    let archives: Vec<String> = repo
        .data_files()
        .into_iter()
        .filter(|f| f.starts_with("archive/"))
        .collect();
    assert_eq!(archives, ["archive/v1.37.json"], "{said}");
    let frozen = repo.blob("archive/v1.37.json");
    // Its pages say what they are and link to the live page.
    let doc = scraper::Html::parse_document(&html(&site, "archive/v1.37/k8s/v1.37/index.html"));
    let banner = doc
        .select(&scraper::Selector::parse("p.frozen").unwrap())
        .next()
        .expect("the archive's banner");
    let words: String = banner.text().collect();
    assert!(
        words.contains("as of Kubernetes v1.37's release (2026-08-26)")
            && words.starts_with("Frozen on "),
        "{words}"
    );
    let live = banner
        .select(&scraper::Selector::parse("a").unwrap())
        .next()
        .and_then(|a| a.value().attr("href"));
    assert_eq!(live, Some("../../../../k8s/v1.37/index.html"));

    // 4. A later change is recorded; the archive is never rewritten.
    {
        let mut d = mock.data.lock().unwrap();
        let issue = d.issues.first_mut().unwrap();
        issue["title"] = json!(format!("{} (renamed)", issue["title"].as_str().unwrap()));
        issue["updated_at"] = json!("2026-11-20T00:00:00Z");
        d.version += 1;
    }
    let (said, _) = run(&repo, &mock);
    assert_eq!(repo.data_commits().len(), 3, "{said}");
    assert_eq!(repo.blob("archive/v1.37.json"), frozen);
    let live = repo.blob("snapshot.json");

    // 5. GitHub is down: the last good snapshot is published with a
    // notice, and the branch is left as it was.
    mock.fault(Fault {
        path: "/",
        times: u32::MAX,
        kind: FaultKind::Status(502),
    });
    let (said, site) = run(&repo, &mock);
    assert!(said.contains("the fetch failed"), "{said}");
    assert_eq!(repo.data_commits().len(), 3, "{said}");
    assert_eq!(repo.blob("snapshot.json"), live);
    let home = html(&site, "index.html");
    assert!(home.contains("last refresh failed"), "{home}");
    assert!(html(&site, "kep/4639/index.html").contains("last refresh failed"));
    assert!(site.join("archive/v1.37/index.html").exists());
}

#[test]
fn a_first_run_whose_fetch_fails_publishes_nothing_and_says_why() {
    let repo = Repo::new();
    let mock = Mock::start(demo_before_v1_37());
    mock.fault(Fault {
        path: "/",
        times: u32::MAX,
        kind: FaultKind::Status(502),
    });
    let build = repo.checkout("build");
    ok(publish(&build, &mock, &["load", "data"]), "load");
    let o = publish(&build, &mock, &["refresh", "data", "public"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no snapshot to publish"),
        "{}",
        stderr(&o)
    );
    assert!(!build.join("public").exists());
    assert!(repo.data_commits().is_empty());
}
