//! The data core on real public data (`$KEPBOARD_FIXTURES`): every real
//! tracking issue parsed as a person reads it, every kep.yaml loaded or
//! reported, and `check` naming the issues without a shepherd.

mod common;
use common::*;
use kepboard::domain::{K8sRelease, KepNumber, Stage};
use kepboard::model::Model;
use kepboard::snapshot::Snapshot;
use kepboard::tracking::IssueKind;

fn real_model() -> Option<(tempfile::TempDir, Model)> {
    common::real_model("real_data")
}

#[test]
fn every_real_issue_reads_as_a_person_reads_it() {
    let Some((_dir, model)) = real_model() else {
        return;
    };
    use IssueKind::*;
    // (issue, kind, KEP numbers, shepherds), read by eye from the issue texts.
    let expected: &[(u64, IssueKind, &[u32], &[&str])] = &[
        (6302, Related, &[2400], &[]),
        (7063, Related, &[127], &[]),
        (10496, Related, &[4639], &[]),
        (11580, Related, &[4639], &[]),
        (13546, Tracking, &[6061], &[]),
        (13572, Tracking, &[5758], &[]),
        (13970, Related, &[5823], &[]),
        (13978, Tracking, &[4191], &["kannon92"]),
        (13979, Tracking, &[5823], &[]),
        (14252, Tracking, &[4216], &[]),
        // The body is cut inside the handle: kept as written, with a warning.
        // Cut inside the handle (`@AkihiroS` of `@AkihiroSuda`): unknown.
        (14267, Tracking, &[5714], &[]),
    ];
    assert_eq!(model.issues.len(), expected.len());
    for (n, kind, keps, shepherds) in expected {
        let issue = &model.issues[n];
        let p = &issue.parsed;
        assert_eq!(p.kind, *kind, "#{n} kind");
        let got: Vec<u32> = p.kep_numbers.iter().map(|k| k.get()).collect();
        assert_eq!(&got, keps, "#{n} KEP numbers");
        let got: Vec<&str> = p.shepherds.iter().map(|l| l.as_str()).collect();
        assert_eq!(&got, shepherds, "#{n} shepherds");
        for k in *keps {
            let entry = &model.keps[&KepNumber::new(*k).unwrap()];
            let list = if *kind == Tracking {
                &entry.tracking_issues
            } else {
                &entry.related_issues
            };
            assert!(list.contains(n), "#{n} not joined to KEP-{k}");
        }
    }
    let cut = &model.issues[&14267].parsed;
    assert!(
        cut.warnings.iter().any(|w| w.message.contains("cut")),
        "{:?}",
        cut.warnings
    );
    assert!(cut.is_unknown(kepboard::tracking::FieldKey::Shepherd));
    // Cut after the list: the shepherd line is whole.
    assert_eq!(
        model.issues[&13978]
            .parsed
            .shepherds
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>(),
        ["kannon92"]
    );
    let i13978 = &model.issues[&13978].parsed;
    assert_eq!(i13978.liaisons.len(), 1);
    assert_eq!(i13978.targets.len(), 1);
    assert_eq!(i13978.targets[0].stage, Stage::Beta);
    assert_eq!(i13978.targets[0].k8s_release, Some(K8sRelease::new(1, 31)));
}

#[test]
fn every_kep_yaml_loads_or_is_reported() {
    let Some(fixtures) = fixtures_or_skip("every_kep_yaml") else {
        return;
    };
    let dir = fixtures.join("enhancements/keps");
    let on_disk = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "kep.yaml")
        .count();
    assert_eq!(on_disk, 656);
    let (files, errors) = kepboard::kep::load_dir(&dir).unwrap();
    assert_eq!(files.len() + errors.len(), on_disk);
    for e in &errors {
        assert!(e.message.contains(&e.path), "{e:?}");
    }
    // Nested deeper than <sig>/<NNNN-slug>/ and outside sig-* directories.
    assert!(files
        .iter()
        .any(|f| f.path.starts_with("sig-cloud-provider/azure/")));
    assert!(files.iter().any(|f| f.path.starts_with("provider-aws/")));
    // The two files with invalid dates load.
    assert!(files
        .iter()
        .any(|f| f.path.starts_with("sig-scheduling/5075-")));
    assert!(files
        .iter()
        .any(|f| f.path.starts_with("sig-api-machinery/4355-")));
}

#[test]
fn real_keps_join_with_their_stages() {
    let Some((_dir, model)) = real_model() else {
        return;
    };
    let k127 = &model.keps[&KepNumber::new(127).unwrap()];
    let stage = |m| model.stage_in(k127, K8sRelease::new(1, m)).map(|s| s.stage);
    assert_eq!(stage(24), None);
    assert_eq!(stage(25), Some(Stage::Alpha));
    assert_eq!(stage(36), Some(Stage::Stable));
    // What shipped is Kubernetes' feature-gate history, not kep.yaml's
    // milestones (which say beta only from v1.35): UserNamespacesSupport
    // was beta, off by default, in v1.30 to v1.32 and on from v1.33. The
    // list ends at v1.34; kep.yaml fills in after it, marked as such.
    let shown = |k: &kepboard::model::KepEntry, m| {
        let s = model.stage_in(k, K8sRelease::new(1, m)).unwrap();
        format!("{} ({})", s.label(), s.source())
    };
    assert_eq!(shown(k127, 29), "alpha (feature-gate)");
    for m in 30..=32 {
        assert_eq!(shown(k127, m), "beta (off) (feature-gate)", "v1.{m}");
    }
    for m in 33..=34 {
        assert_eq!(shown(k127, m), "beta (on) (feature-gate)", "v1.{m}");
    }
    assert_eq!(shown(k127, 35), "beta (kep.yaml)");
    // ImageVolume (KEP-4639): beta, off by default, in v1.33.
    let k4639 = &model.keps[&KepNumber::new(4639).unwrap()];
    assert_eq!(shown(k4639, 33), "beta (off) (feature-gate)");
    // String kep-number in the real file.
    let k4960 = model.keps[&KepNumber::new(4960).unwrap()]
        .kep
        .as_ref()
        .expect("kep.yaml of 4960");
    assert_eq!(k4960.owning_sig.as_ref().unwrap().as_str(), "sig-node");
    // PRs that name a KEP in their title are joined to it; the mistyped
    // branch of #9737 (3169) does not win over its title (3619).
    assert!(model.keps[&KepNumber::new(4639).unwrap()]
        .pulls
        .contains(&11578));
    assert!(model.keps[&KepNumber::new(3619).unwrap()]
        .pulls
        .contains(&9737));
    assert!(!model
        .keps
        .get(&KepNumber::new(3169).unwrap())
        .is_some_and(|k| k.pulls.contains(&9737)));
    // Tracked KEPs without kep.yaml in the data still have an entry.
    assert!(model.keps.contains_key(&KepNumber::new(5823).unwrap()));
    assert!(model
        .containerd_releases
        .windows(2)
        .all(|w| w[0].version < w[1].version));
    assert!(model.calendar.date(K8sRelease::new(1, 36)).is_some());
}

#[test]
fn check_lists_the_real_issues_without_shepherd() {
    let Some(fixtures) = fixtures_or_skip("check_real") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let snap = import_fixtures(&fixtures, dir.path());
    let o = kepboard(&[
        "check",
        "--snapshot",
        snap.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let no_shepherd: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "no-shepherd")
        .map(|f| f["subject"]["id"].as_u64().unwrap())
        .collect();
    // Every issue whose text we have reaches its shepherd line names one.
    assert_eq!(no_shepherd, Vec::<u64>::new());
    let mut unknown: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "shepherd-unknown")
        .map(|f| f["subject"]["id"].as_u64().unwrap())
        .collect();
    unknown.sort();
    // The copies cut short before or inside the shepherd line.
    assert_eq!(unknown, vec![13546, 13572, 13979, 14252, 14267]);
    let one: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "one-shepherd")
        .map(|f| f["subject"]["id"].as_u64().unwrap())
        .collect();
    assert_eq!(one, vec![13978]);
    let text = stdout(&kepboard(&["check", "--snapshot", snap.to_str().unwrap()]));
    assert!(
        text.contains("shepherd unknown: the issue text we have ends before it"),
        "{text}"
    );
    assert!(text.contains("issue #13546"), "{text}");
}

#[test]
fn fetched_bodies_are_whole_so_no_cut_off_warning() {
    let Some(fixtures) = fixtures_or_skip("fetched_bodies") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut snap = Snapshot::read(&import_fixtures(&fixtures, dir.path())).unwrap();
    let cut = |m: &Model| {
        m.issues[&14267]
            .parsed
            .warnings
            .iter()
            .any(|w| w.message.contains("cut"))
    };
    assert!(cut(&Model::build(&snap)));
    snap.source.kind = kepboard::snapshot::SourceKind::Fetch;
    let model = Model::build(&snap);
    assert!(!cut(&model));
    assert_eq!(model.issues[&14267].parsed.shepherds.len(), 1);
}

/// Kubernetes' own feature-gate history says what shipped: user namespaces
/// (KEP-127) beta with the gate off in v1.30 to v1.32 and on from v1.33;
/// image volumes (KEP-4639) beta with the gate off in v1.33.
#[test]
fn real_feature_gate_history() {
    let Some(fixtures) = fixtures_or_skip("feature_gates") else {
        return;
    };
    let text =
        std::fs::read_to_string(fixtures.join("kubernetes/versioned_feature_list.yaml")).unwrap();
    let gates = kepboard::gates::FeatureGates::parse(&text).unwrap();
    assert_eq!(gates.newest(), Some(K8sRelease::new(1, 34)));
    let at = |gate: &str, m: u16| {
        gates
            .get(gate)
            .unwrap()
            .at(K8sRelease::new(1, m))
            .map(|s| (s.pre_release.stage(), s.default))
    };
    for m in 30..=32 {
        assert_eq!(
            at("UserNamespacesSupport", m),
            Some((Stage::Beta, false)),
            "v1.{m}"
        );
    }
    assert_eq!(at("UserNamespacesSupport", 33), Some((Stage::Beta, true)));
    assert_eq!(at("ImageVolume", 33), Some((Stage::Beta, false)));
    // kep.yaml spells some gates in another case: found all the same.
    assert!(gates.get("RuntimeClassInImageCriApi").is_some());
}

/// What the real tracking issues declare for released Kubernetes matches
/// Kubernetes' feature list: #13978 declares beta for v1.31 (KEP-4191),
/// and KubeletSeparateDiskGC was beta, on by default, in v1.31. The issues
/// whose KEP number has no kep.yaml (#13546 KEP-6061, #14267 KEP-5714)
/// name no gate of another KEP, so none is joined by a gate.
#[test]
fn real_declarations_match_what_shipped() {
    let Some((_dir, model)) = real_model() else {
        return;
    };
    let k4191 = &model.keps[&KepNumber::new(4191).unwrap()];
    let s = model.stage_in(k4191, K8sRelease::new(1, 31)).unwrap();
    assert_eq!(
        (s.label(), s.source()),
        ("beta (on)".into(), "feature-gate")
    );
    assert_eq!(
        model.issues[&13978].parsed.targets[0].k8s_release,
        Some(K8sRelease::new(1, 31))
    );
    use kepboard::check::Kind;
    let found: Vec<_> = kepboard::check::findings(&model)
        .into_iter()
        .filter(|f| matches!(f.kind, Kind::DeclaredNotShipped | Kind::JoinedByGate))
        .collect();
    assert!(found.is_empty(), "{found:?}");
    assert!(model.gate_joined_issues.is_empty());
    for n in [6061, 5714] {
        assert!(model.keps[&KepNumber::new(n).unwrap()].kep.is_none());
    }
}
