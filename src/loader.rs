//! Where `{% include "…" %}` finds its files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// Resolves and loads included templates.
pub trait Loader: Send + Sync {
    /// Loads `name` as included from the source named `from` (`None` at the top level).
    /// Returns the resolved name (used in diagnostics and to detect cycles) and the text, or an
    /// error whose one-line message says why (it becomes the hint of the include error, and the
    /// error itself its [`std::error::Error::source`]).
    fn load(&self, name: &str, from: Option<&str>) -> Result<(String, String), Error>;
}

/// Loads includes from the file system: relative to the including file's directory, or to the
/// root for templates that did not come from a file.
#[derive(Debug, Clone)]
pub struct FsLoader {
    root: PathBuf,
}

impl FsLoader {
    /// A loader resolving top-level names against `root`.
    pub fn new(root: impl Into<PathBuf>) -> FsLoader {
        FsLoader { root: root.into() }
    }
}

impl Loader for FsLoader {
    fn load(&self, name: &str, from: Option<&str>) -> Result<(String, String), Error> {
        let base = match from.map(Path::new).and_then(Path::parent) {
            Some(dir) if from.is_some_and(|f| Path::new(f).is_file()) => dir.to_path_buf(),
            _ => self.root.clone(),
        };
        let path = base.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot read `{}`: {e}", path.display()),
            )
            .with_cause(e)
        })?;
        Ok((path.display().to_string(), text))
    }
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
