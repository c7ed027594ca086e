//! Properties of the kep.yaml loader and the model on odd input: arbitrary
//! milestone and release strings never make them panic or run away, and
//! the same facts in another order give the same `keps.json`.

use kepboard::domain::K8sRelease;
use kepboard::model::Model;
use kepboard::site::{self, urls::Urls};
use kepboard::snapshot::Snapshot;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Strings people (and typos) put where a release belongs.
fn release_string() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..3, 0u32..70_000).prop_map(|(a, b)| format!("v{a}.{b}")),
        (0u32..3, 0u32..50).prop_map(|(a, b)| format!("{a}.{b}")),
        Just("0.0".to_string()),
        Just("v1.999".to_string()),
        Just("2.0".to_string()),
        Just("TBD".to_string()),
        Just(String::new()),
        "[ -~]{0,12}",
    ]
}

fn stage_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("alpha"),
        Just("beta"),
        Just("stable"),
        Just("deprecated"),
        Just("GA"),
        Just("\"alpha\" # alpha|beta|stable"),
        Just(""),
    ]
    .prop_map(str::to_string)
}

fn status_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("implementable"),
        Just("implemented"),
        Just("withdrawn"),
        Just("replaced # by another"),
        Just("imlpemented"),
    ]
    .prop_map(str::to_string)
}

/// A kep.yaml text with arbitrary milestone values.
fn kep_yaml() -> impl Strategy<Value = (u32, String)> {
    (
        1u32..20,
        stage_string(),
        status_string(),
        release_string(),
        proptest::collection::vec(release_string(), 3),
    )
        .prop_map(|(n, stage, status, latest, m)| {
            let yaml = format!(
                "title: K{n}\nkep-number: {n}\nowning-sig: sig-node\nstatus: {status}\nstage: {stage}\n\
                 latest-milestone: {latest:?}\nmilestone:\n  alpha: {:?}\n  beta: {:?}\n  stable: {:?}\n",
                m[0], m[1], m[2]
            );
            (n, yaml)
        })
}

fn snapshot(keps: &[(u32, String)], k8s: &[String]) -> Snapshot {
    let files: Vec<Value> = keps
        .iter()
        .enumerate()
        .filter_map(|(i, (n, yaml))| {
            let path = format!("sig-node/{n}-k{i}/kep.yaml");
            let f = kepboard::kep::parse_file(&path, yaml).ok()?;
            serde_json::to_value(f).ok()
        })
        .collect();
    let releases: Vec<Value> = k8s
        .iter()
        .enumerate()
        .map(|(i, tag)| json!({"tag_name": tag, "published_at": format!("20{:02}-01-01T00:00:00Z", 10 + i)}))
        .collect();
    let issue = json!({
        "number": 1, "title": "[SIG-Node]: KEP-3: x", "state": "open",
        "body": "### KEP/SIG-Node References\n\n- KEP(s): 3\n- stage: beta\n- K8s-Release: v1.999\n",
        "html_url": "https://github.com/containerd/containerd/issues/1"
    });
    serde_json::from_value(json!({
        "schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
        "source": {"kind": "import"}, "tracking_repo": "containerd/containerd",
        "issues": [issue], "keps": files, "kubernetes_releases": releases,
    }))
    .expect("valid snapshot")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn odd_milestones_and_releases_never_panic_or_hang(
        keps in proptest::collection::vec(kep_yaml(), 0..6),
        k8s in proptest::collection::vec(release_string().prop_map(|r| format!("{r}.0")), 0..4),
    ) {
        let snap = snapshot(&keps, &k8s);
        let model = Model::build(&snap);
        let releases = model.k8s_releases();
        // Pages only up to the next cycle, never a run to another major.
        if let Some(next) = model.calendar.next() {
            prop_assert!(releases.iter().all(|r| *r <= next && r.major == next.major));
        } else {
            prop_assert!(releases.is_empty());
        }
        for k in model.keps.values() {
            for r in releases.iter().copied().chain([K8sRelease::new(2, 0), K8sRelease::new(1, u16::MAX)]) {
                if let Some(s) = model.stage_in(k, r) {
                    // A reached stage is never in a release that is not out.
                    prop_assert!(s.is_target() || model.calendar.is_out(r) || model.calendar.is_upcoming(r));
                }
            }
        }
        let _ = kepboard::check::findings(&model);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn odd_milestones_render(
        keps in proptest::collection::vec(kep_yaml(), 0..4),
        k8s in proptest::collection::vec(release_string().prop_map(|r| format!("{r}.0")), 0..3),
    ) {
        let snap = snapshot(&keps, &k8s);
        let tera = site::load_templates(None).unwrap();
        let urls = Urls::new("/").unwrap();
        let input = site::SiteInput::live(Model::build(&snap));
        prop_assert!(site::render_to_vec(&tera, &urls, &input).is_ok());
    }
}

/// A kep.yaml naming a milestone of another major version used to make
/// `build` and `check` loop forever.
#[test]
fn milestone_of_another_major_finishes() {
    let keps = vec![(
        7,
        "kep-number: 7\nowning-sig: sig-node\nstage: alpha\nlatest-milestone: \"2.0\"\nmilestone:\n  alpha: \"v1.30\"\n".to_string(),
    )];
    let snap = snapshot(&keps, &["v1.36.0".into(), "v1.37.0".into()]);
    let model = Model::build(&snap);
    assert_eq!(model.current_release(), Some(K8sRelease::new(1, 38)));
    let tera = site::load_templates(None).unwrap();
    let input = site::SiteInput::live(model);
    let files = site::render_to_vec(&tera, &Urls::new("/").unwrap(), &input).unwrap();
    assert!(files.iter().all(|f| !f.path.starts_with("k8s/v2.")));
}

fn keps_json(snap: &Snapshot) -> Vec<u8> {
    let tera = site::load_templates(None).unwrap();
    let input = site::SiteInput::live(Model::build(snap));
    let files = site::render_to_vec(&tera, &Urls::new("/").unwrap(), &input).unwrap();
    files
        .into_iter()
        .find(|f| f.path == "data/keps.json")
        .expect("keps.json")
        .bytes
}

/// Same facts, same bytes: the demo snapshot with every list reversed.
#[test]
fn keps_json_does_not_depend_on_input_order() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/snapshot.json");
    let snap = Snapshot::read(&path).unwrap();
    let mut reversed = snap.clone();
    reversed.issues.reverse();
    reversed.pulls.reverse();
    reversed.keps.reverse();
    reversed.issue_pr_links.reverse();
    reversed.containerd_releases.reverse();
    reversed.kubernetes_releases.reverse();
    assert!(keps_json(&snap) == keps_json(&reversed));
}
