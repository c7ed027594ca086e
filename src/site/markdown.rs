//! Untrusted markdown (issue bodies) to safe HTML.
//!
//! pulldown-cmark renders; the events are filtered on the way: link
//! destinations keep only http, https and mailto (relative ones resolve
//! against github.com, where the text was written), images become plain
//! links (an image would load from another host), and every link gets
//! `rel="nofollow noopener noreferrer"`. Text and attributes are escaped by
//! the renderer, so markdown alone cannot produce markup. Raw HTML in the
//! body is the one way in: a body holding any is sanitized again with
//! ammonia's allow-list (no script, no event handlers, no `javascript:`
//! URLs, no iframes, forms, styles or images). Most bodies hold none, which
//! keeps the common case fast.

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

const REL: &str = "nofollow noopener noreferrer";
const GITHUB: &str = "https://github.com";

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.rm_tags(["img"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some(REL))
        .url_relative(UrlRelative::RewriteWithBase(
            ammonia::Url::parse(GITHUB).expect("constant base URL parses"),
        ))
        .strip_comments(true);
    b
});

/// Renders markdown to sanitized HTML, safe to insert into a page as is.
pub fn render(markdown: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw_html = false;
    let events = Parser::new_ext(markdown, opts).map(|e| match e {
        Event::Html(_) | Event::InlineHtml(_) => {
            raw_html = true;
            e
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) => open_link(link_type, &dest_url),
        Event::End(TagEnd::Link) => Event::InlineHtml(CowStr::Borrowed("</a>")),
        // The alt text that follows is kept, as the link's text.
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        }) => open_link(link_type, &dest_url),
        Event::End(TagEnd::Image) => Event::InlineHtml(CowStr::Borrowed("</a>")),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if raw_html {
        SANITIZER.clean(&out).to_string()
    } else {
        out
    }
}

/// The opening tag of a link whose destination passed [`safe_url`]; an
/// unsafe destination leaves an `<a>` without `href` (the text stays).
fn open_link(link_type: LinkType, dest: &str) -> Event<'static> {
    let dest = if link_type == LinkType::Email {
        format!("mailto:{dest}")
    } else {
        dest.to_string()
    };
    let tag = match safe_url(&dest) {
        Some(url) => {
            // escape_href percent-encodes quotes and angle brackets and
            // writes `&` as `&amp;`: the result is a safe attribute value,
            // escaped once. Cannot fail on a String.
            let mut href = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut href, &url);
            format!("<a href=\"{href}\" rel=\"{REL}\">")
        }
        None => "<a>".to_string(),
    };
    Event::InlineHtml(CowStr::Boxed(tag.into_boxed_str()))
}

/// Keeps http(s) and mailto URLs and fragment-free relative paths (made
/// absolute on github.com); anything else (`javascript:`, `data:`,
/// protocol-relative `//host`) gives `None`.
fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    if u.chars().any(|c| c.is_control()) {
        return None;
    }
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
    {
        return Some(u.to_string());
    }
    // Any other scheme (a colon before the first slash), or another host.
    let first_slash = u.find('/').unwrap_or(usize::MAX);
    if u.starts_with("//") || u.find(':').is_some_and(|c| c < first_slash) {
        return None;
    }
    if let Some(path) = u.strip_prefix('/') {
        return Some(format!("{GITHUB}/{path}"));
    }
    // Fragments and bare relative paths have no meaning outside GitHub.
    None
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
        assert!(h.contains(r#"rel="nofollow noopener noreferrer""#));
    }

    const HOSTILE: &str = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))\n\n\
         <iframe src=\"https://evil\"></iframe><form><input></form><style>*{}</style>\
         <a href=\"#\" onclick=\"alert(4)\">a</a>\n\n![i](https://tracker.example/p.png)\n\n[d](data:text/html,x) [p](//evil.example/x)";

    #[test]
    fn removes_everything_executable() {
        let h = render(HOSTILE);
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
            "data:",
            "//evil",
        ] {
            assert!(
                !h.to_ascii_lowercase().contains(bad),
                "{bad} survived in {h}"
            );
        }
    }

    #[test]
    fn markdown_only_links_are_filtered_without_the_html_pass() {
        let h = render("[x](javascript:alert(1)) ![pixel](https://tracker.example/p.png) [ok](https://ok.example/a?b=\"c\")");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains(r#"<a href="https://tracker.example/p.png" rel="nofollow noopener noreferrer">pixel</a>"#), "{h}");
        assert!(h.contains("https://ok.example/a?b=%22c%22"), "{h}");
        assert!(h.contains("<a>x</a>"), "{h}");
        let h = render("<user@example.com>");
        assert!(h.contains(r#"href="mailto:user@example.com""#), "{h}");
    }

    #[test]
    fn query_strings_are_escaped_once() {
        let h =
            render("[search](https://github.com/issues?q=a&b=c) and <https://x.example/?a=1&b=2>");
        assert!(
            h.contains(r#"href="https://github.com/issues?q=a&amp;b=c""#),
            "{h}"
        );
        assert!(
            h.contains(r#"href="https://x.example/?a=1&amp;b=2""#),
            "{h}"
        );
        assert!(!h.contains("&amp;amp;"), "{h}");
        // Parsed as HTML, the attribute is the URL as written.
        let doc = scraper::Html::parse_fragment(&h);
        let sel = scraper::Selector::parse("a").unwrap();
        let hrefs: Vec<&str> = doc
            .select(&sel)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(
            hrefs,
            [
                "https://github.com/issues?q=a&b=c",
                "https://x.example/?a=1&b=2"
            ]
        );
    }

    #[test]
    fn relative_links_point_to_github() {
        let h = render("[pr](/containerd/containerd/pull/1)");
        assert!(
            h.contains("https://github.com/containerd/containerd/pull/1"),
            "{h}"
        );
        let h = render("<b>raw</b> [pr](/containerd/containerd/pull/2)");
        assert!(
            h.contains("https://github.com/containerd/containerd/pull/2"),
            "{h}"
        );
    }

    /// The rendered HTML of a handful of bodies, written afresh, kept as
    /// insta snapshots in `src/site/snapshots/`, each with its input as the
    /// description: a change to the markdown options, the link filter or
    /// the sanitizer shows up as a diff to read. Update with
    /// `INSTA_UPDATE=always cargo test --lib markdown` and review every
    /// changed `.snap` file.
    mod snapshots {
        use super::render;

        fn check(name: &str, input: &str) {
            insta::with_settings!({
                description => input,
                omit_expression => true,
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(format!("markdown_{name}"), render(input));
            });
        }

        #[test]
        fn tracking_template_body() {
            check(
                "tracking_template_body",
                "### Tracking issue for KEP-1234: Pod-level widgets\n\n\
                 **KEP/SIG-Node References**\n\n\
                 - KEP: https://github.com/kubernetes/enhancements/issues/1234\n\
                 - KEP PR: kubernetes/enhancements#5678\n\
                 - Stage: beta w/gate on in v1.37\n\
                 - KEP Owner: @alice, @sig-node\n\
                 - SIG Node Liaison: @bob\n\
                 - containerd shepherds: @carol @dave\n\n\
                 ### Work items\n\n\
                 - [x] CRI field plumbing\n\
                 - [ ] ~~old approach~~ new approach\n\n\
                 > Note: `runtime handler` support comes later.\n",
            );
        }

        #[test]
        fn tables() {
            check(
                "tables",
                "| Stage | Release | containerd |\n\
                 |:------|:-------:|-----------:|\n\
                 | alpha | v1.35 | v2.2.0 |\n\
                 | beta | v1.37 | *not yet* |\n\n\
                 | escaped \\| pipe | raw HTML |\n\
                 |---|---|\n\
                 | `a\\|b` | <b>bold</b> and [link](https://example.com/t) |\n",
            );
        }

        #[test]
        fn link_with_a_query_string() {
            check(
                "link_with_a_query_string",
                "Open PRs: [search](https://github.com/containerd/containerd/pulls?q=a&b=c), \
                 autolink <https://example.com/?q=a&b=c&x=\"y\">, bare https://example.com/?q=a&b=c\n",
            );
        }

        #[test]
        fn relative_links() {
            check(
                "relative_links",
                "- [rooted](/containerd/containerd/pull/1)\n\
                 - [bare](docs/README.md)\n\
                 - [fragment](#work-items)\n\
                 - [dot](./x) and [parent](../y)\n\
                 - [protocol-relative](//evil.example/z)\n\
                 - [reference][r]\n\n\
                 [r]: /kubernetes/enhancements/issues/1234 \"KEP\"\n",
            );
        }

        #[test]
        fn raw_html_script_and_event_handlers() {
            check(
                "raw_html",
                "Intro text.\n\n\
                 <script>alert('x')</script>\n\n\
                 <img src=\"x.png\" onerror=\"alert(1)\">\n\n\
                 <details><summary>Logs</summary>\n\n\
                 <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">click</a> \
                 <a href=\"/containerd/containerd/issues/9\">rooted raw</a>\n\n\
                 </details>\n\n\
                 <div style=\"color:red\" onmouseover=\"x()\">styled</div>\n\
                 <!-- a comment -->\n",
            );
        }

        #[test]
        fn images() {
            check(
                "images",
                "![screenshot](https://user-images.githubusercontent.com/1/shot.png)\n\n\
                 ![](https://example.com/no-alt.png)\n\n\
                 ![rooted](/containerd/containerd/raw/main/docs/x.svg \"title\")\n\n\
                 ![bad](javascript:alert(1))\n\n\
                 [![badge](https://img.example/b.svg)](https://ci.example/run/1)\n",
            );
        }
    }
}
