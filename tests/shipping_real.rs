//! The release-mapping rules against real history: every PR of
//! `$KEPBOARD_FIXTURES/containerd/kep-prs.tsv`, whose first release was found
//! in git, is fed through `import` with the real containerd tags.

mod common;
use common::*;
use kepboard::domain::ContainerdVersion;
use kepboard::model::Model;
use kepboard::snapshot::Snapshot;

#[test]
fn first_release_of_every_real_kep_pr() {
    let Some(fixtures) = fixtures_or_skip("shipping_real") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let model = Model::build(&Snapshot::read(&import_fixtures(&fixtures, dir.path())).unwrap());
    let rows = read_tsv(&fixtures.join("containerd/kep-prs.tsv"));
    assert_eq!(rows.len(), 43);
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for r in &rows {
        let n: u64 = r["pr_number"].parse().unwrap();
        let shipped = model.pulls[&n].shipped.as_ref();
        let got = shipped.and_then(|s| s.release.clone());
        let want = ContainerdVersion::parse(&r["first_release_tag"]);
        let got_pre = shipped.and_then(|s| s.prerelease.clone().or(s.release.clone()));
        let want_any = ContainerdVersion::parse(&r["first_tag_any"]);
        if got == want && got_pre == want_any {
            agree += 1;
        } else {
            disagreements.push(format!(
                "#{n} merged {}: computed {:?}/{:?}, git says {:?}/{:?}",
                r["merge_date"], got, got_pre, want, want_any
            ));
        }
    }
    eprintln!(
        "release mapping: {agree}/{} PRs agree with git history",
        rows.len()
    );
    for d in &disagreements {
        eprintln!("  {d}");
    }
    assert!(
        disagreements.is_empty(),
        "unexplained disagreements: {disagreements:#?}"
    );
}
