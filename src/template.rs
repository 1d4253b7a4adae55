//! The public entry points: [`Environment`] compiles, [`Template`] binds many times.

use std::sync::Arc;

use serde::Serialize;

use crate::bind::{self, Budgets, Value};
use crate::document::Document;
use crate::error::{Error, ErrorKind, Warning};
use crate::loader::{FsLoader, Loader};
use crate::printer::{self, Job, Printer, RenderOptions};
use crate::span::{Source, SourceId, Span};
use crate::syntax::{self, ast::Ast, ast::LineAst, ast::Tree};

/// Holds what templates share: the include loader and the budgets.
#[derive(Clone)]
pub struct Environment {
    loader: Arc<dyn Loader>,
    budgets: Budgets,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("budgets", &self.budgets)
            .finish_non_exhaustive()
    }
}

impl Default for Environment {
    fn default() -> Self {
        Environment::new()
    }
}

impl Environment {
    /// An environment that loads includes from the file system, confined to the current
    /// directory ([`FsLoader::new(".")`](FsLoader), relative to the including file), with default
    /// [`Budgets`]. Serving templates written by others, give it a loader confined to their folder
    /// ([`Environment::with_loader`]) or a [`crate::MemoryLoader`].
    pub fn new() -> Environment {
        Environment {
            loader: Arc::new(FsLoader::new(".")),
            budgets: Budgets::default(),
        }
    }

    /// Replaces the include loader.
    pub fn with_loader(mut self, loader: impl Loader + 'static) -> Environment {
        self.loader = Arc::new(loader);
        self
    }

    /// Replaces the budgets.
    pub fn with_budgets(mut self, budgets: Budgets) -> Environment {
        self.budgets = budgets;
        self
    }

    /// The budgets templates of this environment run with.
    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// Compiles a template from text; `name` is used in diagnostics and to resolve includes.
    /// Returns the first error; see [`Environment::compile`] for all of them.
    pub fn template_from_str(&self, name: &str, text: &str) -> Result<Template, Error> {
        self.compile(name, text).map_err(first)
    }

    /// Reads and compiles a template file.
    pub fn template_from_file(&self, path: impl AsRef<std::path::Path>) -> Result<Template, Error> {
        self.compile_file(path).map_err(first)
    }

    /// Reads and compiles a template file, returning every error found (see
    /// [`Environment::compile`]). The file must be a regular file within
    /// [`Budgets::max_template_bytes`]; it is read through a bounded reader.
    pub fn compile_file(&self, path: impl AsRef<std::path::Path>) -> Result<Template, Vec<Error>> {
        let path = path.as_ref();
        let max = self.budgets.max_template_bytes as u64;
        let text = crate::loader::read_capped(path, max).map_err(|e| vec![e])?;
        self.compile(&path.display().to_string(), &text)
    }

    /// Compiles a template, returning every error found (syntax errors in every line, unknown
    /// names, include failures).
    pub fn compile(&self, name: &str, text: &str) -> Result<Template, Vec<Error>> {
        // A byte-order mark is not text: ignored (it would hide the front matter).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut tally = Tally::default();
        if let Err(e) = self.size_check(0, text, None, &mut tally) {
            return Err(vec![e.with_sources(&[Source::new(name, text)])]);
        }
        let mut sources = vec![Source::new(name, text)];
        let (mut ast, mut errors) = syntax::parse(0, text, true);
        // The include chain, for cycles and depth; started at the first include (the root's
        // name is its first entry).
        let mut chain = Vec::new();
        self.resolve_includes(
            &mut ast.body,
            0,
            &mut sources,
            &mut chain,
            &mut errors,
            &mut tally,
        );
        if errors.is_empty() {
            errors = bind::validate(&ast);
        }
        if errors.is_empty() {
            // What the template alone decides, decided once (names in loop bodies to slots).
            syntax::plan::resolve(&mut ast);
            let constant_settings = bind::constant_settings(&ast);
            let capacity = bind::capacity(&ast);
            let warnings = bind::lint(&ast)
                .into_iter()
                .map(|w| w.with_sources(&sources))
                .collect();
            Ok(Template {
                inner: Arc::new(Compiled {
                    sources,
                    ast,
                    budgets: self.budgets,
                    warnings,
                    constant_settings,
                    capacity,
                }),
            })
        } else {
            Err(errors
                .into_iter()
                .map(|e| e.with_sources(&sources))
                .collect())
        }
    }

    /// Checks a template's (or an included file's) size against the budgets before it is
    /// parsed; `include` is the `{% include %}` that loaded it.
    fn size_check(
        &self,
        source: SourceId,
        text: &str,
        include: Option<Span>,
        tally: &mut Tally,
    ) -> Result<(), Error> {
        let b = &self.budgets;
        let at = |offset: usize| include.unwrap_or(Span::new(source, offset, offset));
        if text.len() > b.max_template_bytes {
            return Err(bind::over_budget(
                format!("template larger than {} bytes", b.max_template_bytes),
                at(0),
            )
            .with_hint("Budgets::max_template_bytes bounds one template or included file"));
        }
        if let Some(inc) = include {
            tally.includes += 1;
            tally.include_bytes += text.len();
            if tally.includes > b.max_includes {
                return Err(bind::over_budget(
                    format!("more than {} includes", b.max_includes),
                    inc,
                )
                .with_hint("every include counts, repeats too (Budgets::max_includes)"));
            }
            if tally.include_bytes > b.max_include_bytes {
                return Err(bind::over_budget(
                    format!("included text larger than {} bytes", b.max_include_bytes),
                    inc,
                )
                .with_hint("a file counts each time it is included (Budgets::max_include_bytes)"));
            }
        }
        // `text.lines().count()`, counted on bytes: one line per `\n`, and one for an
        // unterminated last line.
        let lines = text.bytes().filter(|&b| b == b'\n').count()
            + usize::from(!text.is_empty() && !text.ends_with('\n'));
        if tally.lines + lines > b.max_template_lines {
            // Points at the start of the first line over the budget.
            let room = b.max_template_lines.saturating_sub(tally.lines);
            let offset = match room.checked_sub(1) {
                None => 0,
                Some(n) => text.match_indices('\n').nth(n).map_or(0, |(i, _)| i + 1),
            };
            return Err(bind::over_budget(
                format!("more than {} template lines", b.max_template_lines),
                at(offset),
            )
            .with_hint("Budgets::max_template_lines bounds a template and its includes together"));
        }
        tally.lines += lines;
        Ok(())
    }

    fn resolve_includes(
        &self,
        body: &mut [Tree<LineAst>],
        from: SourceId,
        sources: &mut Vec<Arc<Source>>,
        chain: &mut Vec<String>,
        errors: &mut Vec<Error>,
        tally: &mut Tally,
    ) {
        for node in body {
            if tally.stopped {
                return;
            }
            match node {
                Tree::Include(inc) => {
                    if chain.is_empty() {
                        chain.push(sources[0].name.clone());
                    }
                    if chain.len() > self.budgets.max_include_depth {
                        errors.push(bind::over_budget(
                            format!(
                                "includes nested more than {} deep",
                                self.budgets.max_include_depth
                            ),
                            inc.span,
                        ));
                        continue;
                    }
                    let from_name = sources[from as usize].name.clone();
                    let (resolved, text) = match self.loader.load(&inc.path.value, Some(&from_name))
                    {
                        Ok(found) => found,
                        Err(why) => {
                            errors.push(
                                Error::new(
                                    ErrorKind::Include,
                                    format!("cannot include `{}`", inc.path.value),
                                )
                                .at(inc.path.span)
                                .with_hint(why.message())
                                .with_cause(why),
                            );
                            continue;
                        }
                    };
                    if let Some(pos) = chain.iter().position(|c| *c == resolved) {
                        let cycle = chain[pos..]
                            .iter()
                            .chain([&resolved])
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(" → ");
                        errors.push(
                            Error::new(ErrorKind::Include, format!("include cycle: {cycle}"))
                                .at(inc.path.span)
                                .with_hint(
                                    "a template cannot include itself, directly or through others",
                                ),
                        );
                        continue;
                    }
                    let id = sources.len() as SourceId;
                    let text = match text.strip_prefix('\u{feff}') {
                        Some(rest) => rest.to_string(),
                        None => text,
                    };
                    if let Err(e) = self.size_check(id, &text, Some(inc.span), tally) {
                        // A budget stops the whole compile: nothing after it is loaded.
                        errors.push(e);
                        tally.stopped = true;
                        return;
                    }
                    let (included, errs) = syntax::parse(id, &text, false);
                    sources.push(Source::included(resolved.clone(), text, inc.span));
                    errors.extend(errs);
                    inc.body = included.body;
                    chain.push(resolved);
                    self.resolve_includes(&mut inc.body, id, sources, chain, errors, tally);
                    chain.pop();
                }
                Tree::For(f) => {
                    self.resolve_includes(&mut f.body, from, sources, chain, errors, tally);
                    self.resolve_includes(&mut f.empty, from, sources, chain, errors, tally);
                }
                Tree::If(i) => {
                    for (_, b) in &mut i.branches {
                        self.resolve_includes(b, from, sources, chain, errors, tally);
                    }
                    self.resolve_includes(&mut i.otherwise, from, sources, chain, errors, tally);
                }
                Tree::Leaf(_) | Tree::Set(_) => {}
            }
        }
    }
}

/// What a compile has loaded so far, against the budgets.
#[derive(Default)]
struct Tally {
    includes: usize,
    include_bytes: usize,
    lines: usize,
    /// A budget ran out: load nothing more.
    stopped: bool,
}

fn first(errors: Vec<Error>) -> Error {
    errors
        .into_iter()
        .next()
        .unwrap_or_else(|| Error::new(ErrorKind::Syntax, "invalid template"))
}

/// The data of a bind: anything serialisable (converted into binder values), or JSON (read in
/// place).
enum Input<'a, S: ?Sized> {
    Serde(&'a S),
    Json(&'a serde_json::Value),
}

struct Compiled {
    sources: Vec<Arc<Source>>,
    ast: Ast,
    budgets: Budgets,
    /// Warnings found without data (a `set` inside a loop), with the sources attached.
    warnings: Vec<Warning>,
    /// The settings written as constants (the `paper:` that `printer.columns` reflects).
    constant_settings: crate::document::JobSettings,
    /// About how much a bound document holds (`bind::capacity`: the template's alone).
    capacity: crate::document::Capacity,
}

/// A compiled template: immutable, `Send + Sync`, cheap to clone, bound many times.
#[derive(Clone)]
pub struct Template {
    inner: Arc<Compiled>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Template")
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}

impl Template {
    /// Warnings found when compiling, without data (a `{% set %}` inside a loop that cannot
    /// change the variable after it). [`Template::render`] returns them with the job's.
    pub fn warnings(&self) -> &[Warning] {
        &self.inner.warnings
    }

    /// The JSON Schema (draft 2020-12) of the data this template reads: the paths its
    /// expressions name, arrays from `for`, numbers from `money` and arithmetic, and which
    /// properties are required (those read without an `if` or `default` guard). Each property's
    /// `description` says where the template reads it. `slipmark schema T.slip` prints it.
    pub fn data_schema(&self) -> serde_json::Value {
        crate::schema::schema(&self.inner.ast, &self.inner.sources)
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.inner.sources[0].name
    }

    /// The sources spans refer to: the template (0) and its includes.
    pub fn sources(&self) -> &[Arc<Source>] {
        &self.inner.sources
    }

    /// The AST, for the crate's own tests (which must build without `unstable_machinery`).
    #[cfg(test)]
    pub(crate) fn tested_ast(&self) -> &Ast {
        &self.inner.ast
    }

    /// The AST (for tools; feature `unstable_machinery`).
    #[cfg(feature = "unstable_machinery")]
    pub fn ast(&self) -> &Ast {
        &self.inner.ast
    }

    /// Binds the template to any serialisable data (a struct, a map, a `serde_json::Value`).
    /// The `printer` variable (`language.md` §5a) describes the generic preview profile at 58 mm;
    /// [`Template::render`] binds with the real printer's. Data that is JSON already binds
    /// faster with [`Template::bind_json`], which reads it in place.
    pub fn bind<S: Serialize + ?Sized>(&self, data: &S) -> Result<Document, Error> {
        self.bind_inner(Input::Serde(data), false, None)
            .map_err(first)
    }

    /// [`Template::bind`] reading `data` in place ([`Template::render_json`]).
    pub fn bind_json(&self, data: &serde_json::Value) -> Result<Document, Error> {
        self.bind_inner(Input::<()>::Json(data), false, None)
            .map_err(first)
    }

    /// Binds the template as [`Template::render_with`] does for `printer`: the `printer`
    /// variable (language §5a: `printer.columns`, `printer.paper`, `printer.vendor`,
    /// `printer.model`, `printer.has.<capability>`, …) describes it, unless the data has its own
    /// `printer`. [`Template::bind`] and [`Template::check`] bind with the generic preview
    /// profile's facts at 58 mm.
    pub fn bind_for<S: Serialize + ?Sized>(
        &self,
        data: &S,
        printer: &Printer,
        options: RenderOptions,
    ) -> Result<Document, Error> {
        self.bind_input_for(Input::Serde(data), printer, options)
    }

    /// [`Template::bind_for`] reading `data` in place ([`Template::render_json`]).
    pub fn bind_json_for(
        &self,
        data: &serde_json::Value,
        printer: &Printer,
        options: RenderOptions,
    ) -> Result<Document, Error> {
        self.bind_input_for(Input::<()>::Json(data), printer, options)
    }

    fn bind_input_for<S: Serialize + ?Sized>(
        &self,
        data: Input<'_, S>,
        printer: &Printer,
        options: RenderOptions,
    ) -> Result<Document, Error> {
        let columns = printer.paper_columns(options.paper, &self.inner.constant_settings);
        self.bind_inner(data, false, Some(printer::printer_facts(printer, columns)))
            .map_err(first)
    }

    /// Binds and reports every error that can be found (used by `slipmark check --data`).
    pub fn check<S: Serialize + ?Sized>(&self, data: &S) -> Vec<Error> {
        self.check_input(Input::Serde(data))
    }

    /// [`Template::check`] reading `data` in place ([`Template::render_json`]).
    pub fn check_json(&self, data: &serde_json::Value) -> Vec<Error> {
        self.check_input(Input::<()>::Json(data))
    }

    fn check_input<S: Serialize + ?Sized>(&self, data: Input<'_, S>) -> Vec<Error> {
        match self.bind_inner(data, true, None) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// Binds `data`; `printer` is the value of the `printer` variable (unless the data has its
    /// own `printer`; without a printer, the generic preview profile's at 58 mm).
    fn bind_inner<S: Serialize + ?Sized>(
        &self,
        data: Input<'_, S>,
        collect: bool,
        printer: Option<Value<'static>>,
    ) -> Result<Document, Vec<Error>> {
        let budgets = &self.inner.budgets;
        let located = |e: Error| vec![e.with_sources(self.sources())];
        let mut harvest = None;
        let value = match data {
            // Converted once, straight into binder values, within the data budgets.
            Input::Serde(data) => bind::to_value(data, budgets).map_err(located)?,
            // Read in place: walked once (allocating nothing) for the same budget errors the
            // conversion would give, then bound without a copy.
            Input::Json(data) => {
                // The walk takes the keys of the first loop's items on the way (its list's
                // entries are gone over once, not again by the loop).
                harvest = bind::Harvest::of(&self.inner.ast);
                bind::check_json(data, budgets, harvest.as_mut()).map_err(located)?;
                Value::json(data)
            }
        };
        let printer = printer.unwrap_or_else(printer::generic_facts);
        let (ast, capacity) = (&self.inner.ast, &self.inner.capacity);
        bind::bind(ast, capacity, value, printer, budgets, collect, harvest).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| e.with_sources(self.sources()))
                .collect()
        })
    }

    /// Binds the template to `data` and renders it for `printer`: the output (the `content` for
    /// a cloud print API), the laid-out frame (for [`crate::preview`]), warnings (with this
    /// template's sources attached, so `{:#}` shows a snippet) and job settings. The paper is the
    /// template's `paper:` setting, else the model's; anything the model cannot print is an
    /// error that points into the template. The stages are [`printer::render`]'s.
    ///
    /// `data` is anything serialisable; it is converted into the binder's values first. Data
    /// that is a `serde_json::Value` already renders the same, faster, with
    /// [`Template::render_json`].
    ///
    /// ```
    /// let env = slipmark::Environment::new();
    /// let template = env.template_from_str("t.slip", "# {{ shop }}\n")?;
    /// let printer = slipmark::backend::Catalogue::builtin().printer("K4-WA")?;
    /// let job = template.render(&serde_json::json!({ "shop": "老王" }), &printer)?;
    /// assert_eq!(job.content(), Some("            <FS2>老王</FS2>\n"));
    /// # Ok::<(), slipmark::Error>(())
    /// ```
    pub fn render<S: Serialize + ?Sized>(&self, data: &S, printer: &Printer) -> Result<Job, Error> {
        self.render_with(data, printer, RenderOptions::default())
    }

    /// [`Template::render`] of JSON data read in place: the template reads the caller's
    /// `serde_json::Value` where it lies (no copy of it, no allocation per value read), and
    /// everything else is the same: the same job, warnings and settings, the same errors with
    /// the same messages and spans.
    ///
    /// The data budgets mean what they mean for [`Template::render`]:
    /// [`Budgets::max_data_bytes`] is the size the data would have as the binder's values
    /// (string bytes, plus 8 per value, 64 per list or map and 16 per map entry) and
    /// [`Budgets::max_data_depth`] its nesting; the JSON is walked once before binding (nothing
    /// is allocated) and refused exactly where the conversion of [`Template::render`] would
    /// refuse it. (serde_json has built the value already, so this bounds the work of the
    /// render, not the memory of the JSON: parse untrusted text with [`crate::Data`] or with
    /// serde_json's own limits.)
    ///
    /// ```
    /// let env = slipmark::Environment::new();
    /// let template = env.template_from_str("t.slip", "# {{ shop }}\n{{ total | money }}\n")?;
    /// let printer = slipmark::backend::Catalogue::builtin().printer("K4-WA")?;
    /// let data = serde_json::json!({ "shop": "老王", "total": 12.5 });
    /// let job = template.render_json(&data, &printer)?;
    /// assert_eq!(job.content(), template.render(&data, &printer)?.content());
    /// assert_eq!(job.content(), Some("            <FS2>老王</FS2>\n12.50\n"));
    /// # Ok::<(), slipmark::Error>(())
    /// ```
    pub fn render_json(&self, data: &serde_json::Value, printer: &Printer) -> Result<Job, Error> {
        self.render_json_with(data, printer, RenderOptions::default())
    }

    /// [`Template::render`] with options: a paper that overrides the template's and the model's,
    /// and strict mode ([`RenderOptions::deny_warnings`]: any warning is an error, the
    /// template's own included).
    pub fn render_with<S: Serialize + ?Sized>(
        &self,
        data: &S,
        printer: &Printer,
        options: RenderOptions,
    ) -> Result<Job, Error> {
        self.render_input(Input::Serde(data), printer, options)
    }

    /// [`Template::render_with`] reading `data` in place ([`Template::render_json`]).
    pub fn render_json_with(
        &self,
        data: &serde_json::Value,
        printer: &Printer,
        options: RenderOptions,
    ) -> Result<Job, Error> {
        self.render_input(Input::<()>::Json(data), printer, options)
    }

    fn render_input<S: Serialize + ?Sized>(
        &self,
        data: Input<'_, S>,
        printer: &Printer,
        options: RenderOptions,
    ) -> Result<Job, Error> {
        // The template's own warnings (a lost assignment) count in strict mode too.
        if let (true, Some(w)) = (options.deny_warnings, self.inner.warnings.first()) {
            return Err(self.locate(printer::warning_as_error(w)));
        }
        let doc = self.bind_input_for(data, printer, options)?;
        let mut job = printer::render(doc, printer, options).map_err(|e| self.locate(e))?;
        job.warnings = (self.inner.warnings.iter().cloned())
            .chain(job.warnings.into_iter().map(|w| self.locate_warning(w)))
            .collect();
        Ok(job)
    }

    /// Every error rendering `data` for `printer` finds, not only the first: the binding's (all
    /// of them, as [`Template::check`]), else every one the printer finds (each code or line it
    /// cannot print). Empty when [`Template::render_with`] succeeds. Used by `slipmark check
    /// --model` and after a failed `slipmark render`.
    pub fn render_errors<S: Serialize + ?Sized>(
        &self,
        data: &S,
        printer: &Printer,
        options: RenderOptions,
    ) -> Vec<Error> {
        self.render_errors_input(Input::Serde(data), printer, options)
    }

    /// [`Template::render_errors`] reading `data` in place ([`Template::render_json`]).
    pub fn render_json_errors(
        &self,
        data: &serde_json::Value,
        printer: &Printer,
        options: RenderOptions,
    ) -> Vec<Error> {
        self.render_errors_input(Input::<()>::Json(data), printer, options)
    }

    fn render_errors_input<S: Serialize + ?Sized>(
        &self,
        data: Input<'_, S>,
        printer: &Printer,
        options: RenderOptions,
    ) -> Vec<Error> {
        let columns = printer.paper_columns(options.paper, &self.inner.constant_settings);
        match self.bind_inner(data, true, Some(printer::printer_facts(printer, columns))) {
            Ok(doc) => printer::errors(doc, printer, options)
                .into_iter()
                .map(|e| self.locate(e))
                .collect(),
            Err(errors) => errors,
        }
    }

    /// Attaches this template's sources to an error from a later stage (layout, a backend),
    /// so that it renders with a snippet.
    pub fn locate(&self, err: Error) -> Error {
        err.with_sources(self.sources())
    }

    /// `(source name, line, column)` of a span of this template (1-based; columns in
    /// characters), e.g. to print a [`Warning`] as `file:line:col: warning: …`.
    pub fn position(&self, span: Span) -> Option<(&str, usize, usize)> {
        let source = self.inner.sources.get(span.source as usize)?;
        let (line, col) = source.line_col(span.start as usize);
        Some((&source.name, line, col))
    }

    /// A warning as one line: `file:line:col: warning: message` (its `Display` with this
    /// template's sources attached; `{:#}` of [`Template::locate_warning`] is the snippet).
    pub fn describe_warning(&self, warning: &Warning) -> String {
        self.locate_warning(warning.clone()).to_string()
    }

    /// Attaches this template's sources to a warning (from [`crate::layout`] or a backend), so
    /// that it renders with its position and, with `{:#}`, a snippet.
    pub fn locate_warning(&self, warning: Warning) -> Warning {
        warning.with_sources(self.sources())
    }

    /// The source text a span points at.
    pub fn snippet(&self, span: Span) -> Option<&str> {
        self.inner
            .sources
            .get(span.source as usize)?
            .text
            .get(span.range())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn template_is_send_and_sync() {
        assert_send_sync::<Template>();
        assert_send_sync::<Environment>();
    }

    #[test]
    fn an_unreadable_template_keeps_the_io_error_as_its_source() {
        let err = Environment::new()
            .template_from_file("no/such/dir/missing.slip")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        let cause = std::error::Error::source(&err).expect("the io error is kept");
        let io = cause
            .downcast_ref::<std::io::Error>()
            .expect("the cause is an io::Error");
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn a_missing_include_chains_include_io_errors() {
        let env = Environment::new().with_loader(FsLoader::new("no/such/dir"));
        let err = env
            .template_from_str("t.slip", "{% include \"gone.slip\" %}\n")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Include);
        let load = std::error::Error::source(&err).expect("the loader's error is kept");
        let io = load.source().expect("and its io error");
        let io = io.downcast_ref::<std::io::Error>().unwrap();
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn unserialisable_data_keeps_the_serde_error() {
        let template = Environment::new()
            .template_from_str("t.slip", "x\n")
            .unwrap();
        let mut data = std::collections::HashMap::new();
        data.insert((1, 2), 3);
        let err = template.bind(&data).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Data);
        assert!(err.message().contains("map keys must be strings"), "{err}");
        let cause = std::error::Error::source(&err).unwrap();
        assert!(cause.downcast_ref::<bind::ConvError>().is_some());
    }

    #[test]
    fn an_error_in_an_include_points_back_at_the_include() {
        let env = Environment::new().with_loader(
            crate::MemoryLoader::new()
                .with("outer.inc", "a\n{% include \"inner.inc\" %}\n")
                .with("inner.inc", "{{ x }\n"),
        );
        let err = env
            .template_from_str("t.slip", "# 头\n{% include \"outer.inc\" %}\n")
            .unwrap_err();
        let labels: Vec<_> = err
            .labels()
            .iter()
            .map(|(span, text)| (span.source, text.as_str()))
            .collect();
        assert_eq!(
            labels,
            [(1, "included from here"), (0, "included from here")]
        );
        assert_eq!(err.to_string(), "inner.inc:1:1: unclosed `{{`");
        let rendered = format!("{err:#}");
        assert!(rendered.contains("  ::: outer.inc:2:1\n"), "{rendered}");
        assert!(rendered.contains("  ::: t.slip:2:1\n"), "{rendered}");
        assert!(
            rendered.contains("2 | {% include \"outer.inc\" %}\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^ included from here\n"),
            "{rendered}"
        );
    }

    #[test]
    fn warnings_render_like_errors_once_located() {
        let template = Environment::new()
            .template_from_str("t.slip", "# 你好 x\n")
            .unwrap();
        let w = Warning::new(
            crate::WarningKind::ReplacedChar,
            "`x` printed as `?`",
            Span::new(0, 9, 10),
        )
        .with_hint("use a character the printer has");
        assert_eq!(w.to_string(), "warning: `x` printed as `?`");
        assert_eq!(
            template.describe_warning(&w),
            "t.slip:1:6: warning: `x` printed as `?`"
        );
        assert_eq!(
            format!("{:#}", template.locate_warning(w)),
            "warning[replaced-char]: `x` printed as `?`\n  --> t.slip:1:6\n  |\n1 | # 你好 x\n  |        ^\n  = hint: use a character the printer has\n"
        );
    }
}
