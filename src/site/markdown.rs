//! Untrusted markdown (issue bodies) to safe HTML.
//!
//! pulldown-cmark renders, ammonia sanitizes with an allow-list: no script,
//! no event handlers, no `javascript:` URLs, no iframes, forms, styles or
//! images (an image would load from another host). Relative links are
//! resolved against github.com, where the text was written.

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, Options, Parser};
use std::collections::HashSet;
use std::sync::LazyLock;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.rm_tags(["img"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_relative(UrlRelative::RewriteWithBase(
            url_base().expect("constant base URL parses"),
        ))
        .strip_comments(true);
    b
});

fn url_base() -> Option<ammonia::Url> {
    ammonia::Url::parse("https://github.com/").ok()
}

/// Renders markdown to sanitized HTML, safe to insert into a page as is.
pub fn render(markdown: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, opts));
    SANITIZER.clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let h = render("### Title\n\n- `code` and [link](https://example.com)\n");
        assert!(h.contains("<h3>Title</h3>"), "{h}");
        assert!(h.contains("<code>code</code>"));
        assert!(h.contains(r#"href="https://example.com""#));
    }

    #[test]
    fn removes_everything_executable() {
        let h = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))\n\n\
             <iframe src=\"https://evil\"></iframe><form><input></form><style>*{}</style>\
             <a href=\"#\" onclick=\"alert(4)\">a</a>",
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "<form",
            "<input",
            "<style",
            "onclick",
            "<img",
        ] {
            assert!(
                !h.to_ascii_lowercase().contains(bad),
                "{bad} survived in {h}"
            );
        }
    }

    #[test]
    fn relative_links_point_to_github() {
        let h = render("[pr](/containerd/containerd/pull/1)");
        assert!(
            h.contains("https://github.com/containerd/containerd/pull/1"),
            "{h}"
        );
    }
}
