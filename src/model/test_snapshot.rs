//! Small snapshots for unit tests of the model and of `check`: kep.yaml
//! texts, issues and Kubernetes' feature list, as of 2026-11-25 with
//! Kubernetes v1.30 to v1.37 out (v1.38 is the cycle under way).

use crate::snapshot::Snapshot;
use serde_json::json;

/// A snapshot of `keps` (path, kep.yaml text), `issues` (GitHub issue
/// objects) and the feature list `feature_gates`.
pub fn snapshot(
    keps: &[(&str, &str)],
    issues: serde_json::Value,
    feature_gates: Option<&str>,
) -> Snapshot {
    let files: Vec<serde_json::Value> = keps
        .iter()
        .map(|(path, yaml)| {
            serde_json::to_value(crate::kep::parse_file(path, yaml).unwrap()).unwrap()
        })
        .collect();
    let releases: Vec<serde_json::Value> = (30..=37)
        .map(|m| {
            let year = 2024 + (m - 30) / 3;
            let month = 1 + 4 * ((m - 30) % 3);
            json!({"tag_name": format!("v1.{m}.0"),
                   "published_at": format!("{year}-{month:02}-15T00:00:00Z")})
        })
        .collect();
    serde_json::from_value(json!({
        "schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
        "source": {"kind": "import"}, "tracking_repo": "containerd/containerd",
        "issues": issues, "keps": files, "kubernetes_releases": releases,
        "feature_gates": feature_gates,
    }))
    .unwrap()
}

/// An open issue.
pub fn issue(number: u64, title: &str, body: &str) -> serde_json::Value {
    json!({"number": number, "title": title, "body": body, "state": "open"})
}

/// A tracking issue in the template's form for `kep`, declaring `stage`
/// (as the template writes it: `beta w/gate on`) for `release`.
pub fn tracking(number: u64, kep: &str, stage: &str, release: &str) -> serde_json::Value {
    issue(
        number,
        &format!("[SIG-Node]: KEP-{kep}: something"),
        &format!(
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-{kep}\n- stage: {stage}\n- K8s-Release: {release}\n- KEP-Owner: @a\n- SIG-Node member liaison: @b\n- KEP-Shepherd: @c @d\n"
        ),
    )
}
