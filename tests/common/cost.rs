//! GitHub's published GraphQL limits, as the mock enforces them
//! (docs.github.com, "Rate limits and query limits for the GraphQL API"):
//!
//! - every connection needs `first` or `last`, between 1 and 100;
//! - a call may ask for at most 500,000 nodes: each connection's limit
//!   times the limits of the connections it is nested in, summed;
//! - its cost in points: the requests needed to fill every connection (one
//!   per object of the connection it is nested in, as if every connection
//!   came back full), summed, divided by 100 and rounded; at least 1.
//!
//! A small reader of the documents kepboard sends, not a GraphQL parser:
//! fragments are inlined, `first:`/`last:` arguments are read as numbers
//! or variables (with the variables' defaults).

use serde_json::Value;
use std::collections::BTreeMap;

/// What a call asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cost {
    /// Points, by GitHub's rule.
    pub points: u64,
    /// Nodes the call could return.
    pub nodes: u64,
}

/// The cost of `query` with `vars`, or GitHub's error message for a call
/// it refuses.
pub fn cost(query: &str, vars: &Value) -> Result<Cost, String> {
    let text: String = query
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let fragments = fragments(&text);
    let op_start = text.find("query").ok_or("no query")?;
    let op_end = text[op_start..]
        .find("fragment ")
        .map_or(text.len(), |i| op_start + i);
    let defaults = defaults(&text[op_start..op_end]);
    // The selection only: the operation's own `(...)` declares variables.
    let op = &text[op_start..op_end];
    let selection = &op[op.find('{').ok_or("no selection")?..];
    let body = inline(selection, &fragments, 0)?;
    walk(&body, vars, &defaults)
}

/// `name -> body` of every `fragment name on Type { body }`.
fn fragments(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = text;
    while let Some(i) = rest.find("fragment ") {
        rest = &rest[i + "fragment ".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = rest.find('{') else { break };
        let close = matching(rest, open);
        out.insert(name, rest[open + 1..close].to_string());
        rest = &rest[close..];
    }
    out
}

fn matching(s: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// Replaces `...Name` spreads by their fragment's body, in braces.
fn inline(text: &str, fragments: &BTreeMap<String, String>, depth: u32) -> Result<String, String> {
    if depth > 10 {
        return Err("fragments nested too deep".into());
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("...") {
        out.push_str(&rest[..i]);
        rest = &rest[i + 3..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with("on ") {
            out.push_str("...");
            continue;
        }
        let name: String = trimmed
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let body = fragments
            .get(&name)
            .ok_or(format!("unknown fragment {name}"))?;
        out.push_str(&format!(" {{ {} }} ", inline(body, fragments, depth + 1)?));
        rest = &trimmed[name.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `$name: Type = default` of the operation's variables.
fn defaults(op: &str) -> BTreeMap<String, u64> {
    let re = regex::Regex::new(r"\$(\w+)\s*:\s*Int!?\s*=\s*(\d+)").unwrap();
    re.captures_iter(op)
        .map(|c| (c[1].to_string(), c[2].parse().unwrap_or(0)))
        .collect()
}

/// Walks the selection: each `{` opened after a field with `first:` or
/// `last:` is a connection.
fn walk(body: &str, vars: &Value, defaults: &BTreeMap<String, u64>) -> Result<Cost, String> {
    let limit = regex::Regex::new(r"\b(first|last)\s*:\s*(\$?\w+)").unwrap();
    let field = regex::Regex::new(r"(\w+)\s*(?::\s*(\w+))?\s*\(([^)]*)\)\s*$").unwrap();
    // The multiplier of each open brace: objects per call at that level.
    let mut stack: Vec<u64> = vec![1];
    let (mut requests, mut nodes) = (0u64, 0u64);
    let mut last = 0;
    let mut parens = 0;
    for (i, c) in body.char_indices() {
        match c {
            '(' => parens += 1,
            ')' => parens -= 1,
            // Braces inside arguments are input objects, not selections.
            '{' | '}' if parens > 0 => {}
            '{' => {
                let before = &body[last..i];
                let parent = *stack.last().unwrap_or(&1);
                let mut mult = parent;
                if let Some(f) = field.captures(before.trim_end()) {
                    if let Some(l) = limit.captures(&f[3]) {
                        let name = f.get(2).map_or(&f[1], |m| m.as_str()).to_string();
                        let n = value(&l[2], vars, defaults)
                            .ok_or(format!("{name}: {} has no value", &l[1]))?;
                        if !(1..=100).contains(&n) {
                            return Err(format!(
                                "Requesting {n} records on the `{name}` connection exceeds the `{}` limit of 100 records.",
                                &l[1]
                            ));
                        }
                        requests += parent;
                        mult = parent * n;
                        nodes += mult;
                    }
                }
                stack.push(mult);
                last = i + 1;
            }
            '}' => {
                stack.pop();
                last = i + 1;
            }
            _ => {}
        }
    }
    if nodes > 500_000 {
        return Err(format!(
            "By the time this query traverses to the nodes, it would return {nodes} nodes. This exceeds the maximum limit of 500,000 nodes."
        ));
    }
    Ok(Cost {
        points: ((requests as f64 / 100.0).round() as u64).max(1),
        nodes,
    })
}

fn value(token: &str, vars: &Value, defaults: &BTreeMap<String, u64>) -> Option<u64> {
    match token.strip_prefix('$') {
        Some(v) => vars
            .get(v)
            .and_then(Value::as_u64)
            .or_else(|| defaults.get(v).copied()),
        None => token.parse().ok(),
    }
}

#[test]
fn githubs_example_costs_51_points() {
    // The example in GitHub's documentation: 1 + 100 + 5,000 requests.
    let q = "query { viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }";
    assert_eq!(
        cost(q, &Value::Null).unwrap(),
        Cost {
            points: 51,
            nodes: 100 + 5_000 + 300_000
        }
    );
    let too_many = "query { viewer { repositories(first: 101) { nodes { id } } } }";
    assert!(cost(too_many, &Value::Null)
        .unwrap_err()
        .contains("limit of 100"));
    // 100 + 10,000 + 1,000,000 nodes: over the 500,000 limit.
    let too_deep = "query { viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 100) { nodes { id } } } } } } } }";
    assert!(cost(too_deep, &Value::Null)
        .unwrap_err()
        .contains("maximum limit of 500,000 nodes"));
}
