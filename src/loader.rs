//! Where `{% include "…" %}` finds its files.
//!
//! [`FsLoader`] is a sandbox: it reads only regular files under its root, named by relative
//! paths of plain segments, up to a size cap, with a bounded reader. Templates are often
//! written by people who must not read the host (a merchant editing a receipt in a web
//! service), so `{% include "/proc/self/environ" %}`, `"../../etc/passwd"`, `".env"` and
//! `"/dev/zero"` are errors that read nothing.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// Resolves and loads included templates.
pub trait Loader: Send + Sync {
    /// Loads `name` as included from the source named `from` (`None` at the top level).
    /// Returns the resolved name (used in diagnostics and to detect cycles) and the text, or an
    /// error whose one-line message says why (it becomes the hint of the include error, and the
    /// error itself its [`std::error::Error::source`]).
    fn load(&self, name: &str, from: Option<&str>) -> Result<(String, String), Error>;
}

/// The default size cap of one included file (256 KiB).
pub const DEFAULT_MAX_INCLUDE_BYTES: u64 = 256 * 1024;

/// Loads includes from the file system, confined to a root directory.
///
/// A name is a relative path of `/`-separated segments, resolved against the including file's
/// directory (or the root, for a template that did not come from under the root). It is
/// refused, before anything is read, when it:
///
/// - is absolute (`/etc/passwd`) or holds a backslash, a NUL or a Windows drive (`C:`);
/// - has an empty segment (`a//b`) or a hidden one (`.env`, `partials/.secret`);
/// - climbs out of the root with `..` (`..` inside the root is fine);
/// - leads, through a symbolic link, to a file outside the root;
/// - is not a regular file (a directory, `/dev/zero`, a FIFO, a socket);
/// - is larger than the size cap ([`FsLoader::max_bytes`], 256 KiB by default).
///
/// The file is then read through a reader that stops after the cap, so a file that grows while
/// it is read cannot exhaust memory either.
#[derive(Debug, Clone)]
pub struct FsLoader {
    root: PathBuf,
    max_bytes: u64,
}

impl FsLoader {
    /// A loader confined to `root` (the CLI's is the template's folder, or `--include-root`).
    pub fn new(root: impl Into<PathBuf>) -> FsLoader {
        let root = root.into();
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        FsLoader {
            root,
            max_bytes: DEFAULT_MAX_INCLUDE_BYTES,
        }
    }

    /// The same loader with another size cap for one included file, in bytes.
    pub fn max_bytes(mut self, bytes: u64) -> FsLoader {
        self.max_bytes = bytes;
        self
    }

    /// The root includes are confined to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory (relative to the root, as plain segments) that names in `from` resolve
    /// against: `from`'s folder when `from` lies under the root, else the root itself.
    fn base(&self, from: Option<&str>) -> Vec<String> {
        let Some(from) = from else {
            return Vec::new();
        };
        let relative = lexical_strip(Path::new(from), &self.root).or_else(|| {
            let root = std::fs::canonicalize(&self.root).ok()?;
            let from = std::fs::canonicalize(from).ok()?;
            from.strip_prefix(&root).ok().map(Path::to_path_buf)
        });
        let Some(relative) = relative else {
            return Vec::new();
        };
        let mut segments: Vec<String> = Vec::new();
        for c in relative.components() {
            match c {
                Component::Normal(s) => segments.push(s.to_string_lossy().into_owned()),
                Component::CurDir => {}
                _ => return Vec::new(),
            }
        }
        segments.pop(); // the file's own name
        segments
    }
}

/// `path` relative to `root`, comparing their plain components (`./a/b` under `.` is `a/b`).
fn lexical_strip(path: &Path, root: &Path) -> Option<PathBuf> {
    if path.is_absolute() != root.is_absolute() {
        return None;
    }
    let plain = |p: &Path| -> Option<Vec<std::ffi::OsString>> {
        let mut out = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::Normal(s) => out.push(s.to_os_string()),
                Component::RootDir => out.push("/".into()),
                _ => return None,
            }
        }
        Some(out)
    };
    let (path, root) = (plain(path)?, plain(root)?);
    let rest = path.strip_prefix(root.as_slice())?;
    Some(rest.iter().collect())
}

/// Why a name is refused before the file system is asked anything.
fn refuse_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("the name is empty");
    }
    if name.starts_with('/') {
        return Some("absolute paths are not allowed: name a file under the include root");
    }
    if name.contains('\\') {
        return Some("backslashes are not allowed: separate folders with `/`");
    }
    if name.contains('\0') {
        return Some("the name holds a NUL character");
    }
    let first = name.split('/').next().unwrap_or_default();
    if first.len() >= 2 && first.as_bytes()[1] == b':' {
        return Some("drive letters are not allowed: name a file under the include root");
    }
    for segment in name.split('/') {
        match segment {
            "" => return Some("empty path segments (`//` or a trailing `/`) are not allowed"),
            "." | ".." => {}
            s if s.starts_with('.') => {
                return Some("hidden files and folders (starting with `.`) are not included");
            }
            _ => {}
        }
    }
    None
}

/// A refused name: the message says why (the include error names the file).
fn refused(_name: &str, why: &str) -> Error {
    Error::new(ErrorKind::Include, why)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot read `{}`: {e}", path.display()),
    )
    .with_cause(e)
}

impl Loader for FsLoader {
    fn load(&self, name: &str, from: Option<&str>) -> Result<(String, String), Error> {
        if let Some(why) = refuse_name(name) {
            return Err(refused(name, why));
        }
        let mut segments = self.base(from);
        for segment in name.split('/') {
            match segment {
                "." => {}
                ".." => {
                    if segments.pop().is_none() {
                        return Err(refused(name, "it climbs out of the include root"));
                    }
                }
                s => segments.push(s.to_string()),
            }
        }
        // Under `.`, names read as before: `partials/f.slip`, not `./partials/f.slip`.
        let mut path = if self.root == Path::new(".") {
            PathBuf::new()
        } else {
            self.root.clone()
        };
        path.extend(&segments);
        // Symbolic links may point anywhere: the real path must still be under the real root.
        if let (Ok(real_root), Ok(real)) = (
            std::fs::canonicalize(&self.root),
            std::fs::canonicalize(&path),
        ) {
            if !real.starts_with(&real_root) {
                return Err(refused(
                    name,
                    "it leads out of the include root through a symbolic link",
                ));
            }
        }
        let text = read_capped(&path, self.max_bytes)?;
        Ok((path.display().to_string(), text))
    }
}

/// Reads a regular file of at most `max` bytes as UTF-8, through a reader that cannot read
/// more than `max + 1` bytes (a device, a FIFO or a growing file cannot exhaust memory).
pub(crate) fn read_capped(path: &Path, max: u64) -> Result<String, Error> {
    // Asked before opening: opening a FIFO would block.
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    check_regular(path, &meta, max)?;
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    check_regular(path, &meta, max)?;
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(path, max));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read `{}`: it is not UTF-8 text", path.display()),
        )
        .with_cause(e)
    })
}

fn check_regular(path: &Path, meta: &std::fs::Metadata, max: u64) -> Result<(), Error> {
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::Io,
            format!(
                "cannot read `{}`: not a regular file (a directory, a device or a pipe)",
                path.display()
            ),
        ));
    }
    if meta.len() > max {
        return Err(too_large(path, max));
    }
    Ok(())
}

fn too_large(path: &Path, max: u64) -> Error {
    Error::new(
        ErrorKind::Budget,
        format!("cannot read `{}`: larger than {max} bytes", path.display()),
    )
}

/// Loads includes from memory (tests, embedded templates).
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    files: HashMap<String, String>,
}

impl MemoryLoader {
    /// An empty loader.
    pub fn new() -> MemoryLoader {
        MemoryLoader::default()
    }

    /// Adds (or replaces) a file.
    pub fn with(mut self, name: impl Into<String>, text: impl Into<String>) -> MemoryLoader {
        self.files.insert(name.into(), text.into());
        self
    }
}

impl Loader for MemoryLoader {
    fn load(&self, name: &str, _from: Option<&str>) -> Result<(String, String), Error> {
        self.files
            .get(name)
            .map(|t| (name.to_string(), t.clone()))
            .ok_or_else(|| Error::new(ErrorKind::Include, format!("no template named `{name}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_refused_before_anything_is_read() {
        for name in [
            "/etc/passwd",
            "/proc/self/environ",
            "/dev/zero",
            "a\\b.slip",
            "C:/x.slip",
            ".env",
            "partials/.secret",
            "a//b",
            "a/",
            "",
        ] {
            assert!(refuse_name(name).is_some(), "{name:?}");
        }
        for name in [
            "a.slip",
            "partials/footer.slip",
            "../x.slip",
            "./a.slip",
            "a..b",
        ] {
            assert!(refuse_name(name).is_none(), "{name:?}");
        }
    }

    #[test]
    fn names_resolve_against_the_including_folder() {
        let loader = FsLoader::new("root");
        assert_eq!(loader.base(Some("root/a/b.slip")), ["a"]);
        assert_eq!(loader.base(Some("./root/b.slip")), Vec::<String>::new());
        assert_eq!(loader.base(Some("elsewhere/b.slip")), Vec::<String>::new());
        let dot = FsLoader::new(".");
        assert_eq!(dot.base(Some("tests/x/t.slip")), ["tests", "x"]);
    }
}
