//! SIG Node's runtime policy on the real data: each verdict below was
//! worked out by hand from the fixtures (kep.yaml, Kubernetes' feature
//! list, containerd's and CRI-O's KEP PRs and release dates), with why.

mod common;
use kepboard::domain::{K8sRelease, KepNumber};
use kepboard::model::policy::Verdict;
use kepboard::model::Model;

fn real_model() -> Option<(tempfile::TempDir, Model)> {
    common::real_model("policy_real")
}

#[test]
fn real_verdicts_are_the_ones_read_from_the_data() {
    let Some((_dir, model)) = real_model() else {
        return;
    };
    use Verdict::*;
    // (KEP, release, verdict, a phrase the reason must say, why).
    let table: &[(u32, u16, Verdict, &str, &str)] = &[
        (127, 25, Ok, "CRI-O v1.25.0",
         "gate UserNamespacesSupport alpha in v1.25; CRI-O #6004 merged 2022-07-02, before v1.25.0 (2022-08-23)"),
        (127, 30, Ok, "containerd v2.0.0 (2024-11-05), out after v1.30's release",
         "beta, gate off: one runtime suffices; CRI-O v1.30.0 counts, containerd's v2.0.0 came later"),
        (127, 33, Ok, "out by v1.33's release (2025-04-23)",
         "beta, gate on: both; containerd v2.0.0 (2024-11-05) before v1.33.0, CRI-O v1.31.0"),
        (3857, 31, Violated, "containerd v2.0.0 (2024-11-05), out after v1.31's release (2024-08-13)",
         "RecursiveReadOnlyMounts beta, default on, in v1.31: both runtimes needed; containerd's PRs (merged before v1.31.0) first shipped in v2.0.0, three months after"),
        (3857, 32, Ok, "out by v1.32's release (2024-12-11)",
         "still beta (on) in v1.32, and containerd v2.0.0 was out by then"),
        (688, 24, None, "cannot tell",
         "Pod Overhead GA in v1.24: no containerd work recorded and CRI-O's only recorded PR is of 2023: proves nothing"),
        (5714, 38, AtRisk, "containerd: no work recorded",
         "cgroup namespaces: #14267 declares alpha for v1.38, the cycle under way; nothing merged in either runtime"),
        (4188, 38, None, "no runtime work is recorded",
         "sig-node KEP with a v1.38 target, but no tracking issue or runtime PR: no verdict rather than a guess"),
    ];
    for (kep, minor, verdict, phrase, why) in table {
        let k = &model.keps[&KepNumber::new(*kep).unwrap()];
        let p = model.policy(k, K8sRelease::new(1, *minor));
        assert_eq!(
            p.verdict, *verdict,
            "KEP-{kep} v1.{minor}: {why}\n{}",
            p.reason
        );
        assert!(
            p.reason.contains(phrase),
            "KEP-{kep} v1.{minor}: {}",
            p.reason
        );
    }
    // The list the v1.38 liaison chases: targeted, runtime work recorded,
    // runtimes not ready. Only KEP-5714 is targeted for v1.38 with runtime
    // work recorded (the others targeting v1.38 record none).
    let current = model.current_release().unwrap();
    assert_eq!(current, K8sRelease::new(1, 38));
    let at_risk: Vec<u32> = model
        .keps
        .values()
        .filter(|k| model.policy(k, current).verdict == AtRisk)
        .map(|k| k.number.get())
        .collect();
    assert_eq!(at_risk, [5714]);
}
