//! The template set: built-in templates compiled into the binary, replaced by the user's
//! files of the same name in `templates/`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::load::UserTemplate;

/// The built-in templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../theme/templates/base.html")),
    ("index.html", include_str!("../theme/templates/index.html")),
    (
        "collection.html",
        include_str!("../theme/templates/collection.html"),
    ),
    (
        "dispute.html",
        include_str!("../theme/templates/dispute.html"),
    ),
    ("item.html", include_str!("../theme/templates/item.html")),
    (
        "sources.html",
        include_str!("../theme/templates/sources.html"),
    ),
    (
        "source.html",
        include_str!("../theme/templates/source.html"),
    ),
    (
        "timeline.html",
        include_str!("../theme/templates/timeline.html"),
    ),
    ("page.html", include_str!("../theme/templates/page.html")),
    (
        "network.html",
        include_str!("../theme/templates/network.html"),
    ),
    (
        "search.html",
        include_str!("../theme/templates/search.html"),
    ),
    ("print.html", include_str!("../theme/templates/print.html")),
    (
        "changes.html",
        include_str!("../theme/templates/changes.html"),
    ),
    ("404.html", include_str!("../theme/templates/404.html")),
    ("feed.xml", include_str!("../theme/templates/feed.xml")),
    (
        "sitemap.xml",
        include_str!("../theme/templates/sitemap.xml"),
    ),
    (
        "partials/notes.html",
        include_str!("../theme/templates/partials/notes.html"),
    ),
    (
        "partials/positions.html",
        include_str!("../theme/templates/partials/positions.html"),
    ),
    (
        "partials/evidence.html",
        include_str!("../theme/templates/partials/evidence.html"),
    ),
    (
        "partials/source-meta.html",
        include_str!("../theme/templates/partials/source-meta.html"),
    ),
    (
        "partials/fields.html",
        include_str!("../theme/templates/partials/fields.html"),
    ),
    (
        "partials/print-item.html",
        include_str!("../theme/templates/partials/print-item.html"),
    ),
    (
        "partials/key-points.html",
        include_str!("../theme/templates/partials/key-points.html"),
    ),
    (
        "partials/timeline-entries.html",
        include_str!("../theme/templates/partials/timeline-entries.html"),
    ),
];

/// The built-in stylesheet and script (written to `assets/`).
pub const CSS: &str = include_str!("../theme/assets/brief.css");
pub const JS: &str = include_str!("../theme/assets/brief.js");
/// The site's icon (`<link rel="icon">` on every page); `static/assets/favicon.svg` replaces it.
pub const FAVICON: &str = include_str!("../theme/assets/favicon.svg");
/// The search page's script (`assets/search.js`).
pub const SEARCH_JS: &str = include_str!("../theme/assets/search.js");

/// The template set and where each user template came from (for error positions).
pub struct Templates {
    pub tera: tera::Tera,
    user: Vec<UserTemplate>,
}

impl Templates {
    /// Compiles the built-in templates with the user's on top. Syntax errors in the user's
    /// templates are reported at their file and line.
    ///
    /// `plural` is the site's language's rule, for the `plural` filter: `{{ n |
    /// plural(forms=t.n_items) }}` is the form of `t.n_items` for `n`, its `{n}` filled in
    /// (see [`crate::strings`]).
    pub fn new(
        user: &[UserTemplate],
        plural: crate::strings::PluralRule,
        diags: &mut Diagnostics,
    ) -> Option<Templates> {
        let mut all: Vec<(String, Arc<str>)> = BUILT_IN
            .iter()
            .map(|(n, t)| (n.to_string(), Arc::from(*t)))
            .collect();
        for u in user {
            match all.iter_mut().find(|(n, _)| *n == u.name) {
                Some(slot) => slot.1 = u.text.clone(),
                None => all.push((u.name.clone(), u.text.clone())),
            }
        }
        let mut tera = tera::Tera::new();
        // HTML and XML are escaped; templates print pre-rendered HTML with `| safe`.
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::markdown::escape_html_to);
        tera.register_filter(
            "plural",
            move |n: i64, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let forms: Vec<String> = kwargs.must_get("forms")?;
                let n = u64::try_from(n).unwrap_or_default();
                let i = plural.index(n).min(forms.len().saturating_sub(1));
                let form = forms.get(i).map_or("", String::as_str);
                Ok(crate::strings::fill(form, &[("n", &n.to_string())]))
            },
        );
        // `{{ t.nothing_recorded | fill(name=item.name) }}`: a text of the table with its
        // `{name}` (or `{n}`, `{of}` …) filled in.
        tera.register_filter(
            "fill",
            |text: String, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let mut args: Vec<(&str, String)> = Vec::new();
                for key in ["n", "name", "of", "site", "label", "title"] {
                    if let Some(v) = kwargs.get::<tera::Value>(key)? {
                        let shown = match v.as_str() {
                            Some(s) => s.to_string(),
                            None => v.to_string(),
                        };
                        args.push((key, shown));
                    }
                }
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                Ok(crate::strings::fill(&text, &args))
            },
        );
        let templates = Templates {
            tera,
            user: user.to_vec(),
        };
        let mut templates = templates;
        if let Err(e) = templates
            .tera
            .add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_ref())))
        {
            diags.push(templates.diagnostic(&e, Code::TemplateSyntax));
            return None;
        }
        Some(templates)
    }

    /// Renders a template, turning an error into a diagnostic at the template's line.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e, Code::TemplateRender))
    }

    /// Whether the user's templates replace (or add) the template of this name.
    pub fn is_users(&self, name: &str) -> bool {
        self.user.iter().any(|u| u.name == name)
    }

    /// Whether any of the user's templates could read the variable `name`: a template names
    /// the variables it reads, so one that never spells the name cannot (a longer word that
    /// contains it counts too, which only errs on the safe side).
    pub fn user_may_read(&self, name: &str) -> bool {
        self.user.iter().any(|u| u.text.contains(name))
    }

    /// Whether a template of this name exists (built-in or the user's).
    pub fn has(&self, name: &str) -> bool {
        BUILT_IN.iter().any(|(n, _)| *n == name) || self.user.iter().any(|u| u.name == name)
    }

    fn diagnostic(&self, e: &tera::Error, code: Code) -> Diagnostic {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let what = if code == Code::TemplateSyntax {
            "template error"
        } else {
            "template failed to render"
        };
        let Some(r) = report else {
            return Diagnostic::error(code, format!("{what}: {e}"))
                .help("check the templates in templates/ against docs/templates.md");
        };
        let message = format!("{what}: {}", r.message());
        match self.user.iter().find(|u| u.name == r.filename()) {
            Some(u) => Diagnostic::error(code, message)
                .at(Location::new(&u.path, &u.text, r.span().range.clone()))
                .help("fix the template; docs/templates.md lists the variables each page has"),
            None => {
                let path = PathBuf::from(format!("(built-in) {}", r.filename()));
                let text: Arc<str> = BUILT_IN
                    .iter()
                    .find(|(n, _)| *n == r.filename())
                    .map(|(_, t)| Arc::from(*t))
                    .unwrap_or_else(|| Arc::from(""));
                Diagnostic::error(code, message)
                    .at(Location::new(&path, &text, r.span().range.clone()))
                    .help("a built-in template failed: if one of your templates is included by it, check that one; otherwise please report this")
            }
        }
    }
}
