//! Running the `slipmark` binary as a user would, and scratch files for it to read.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of `slipmark` left: its exit, and its output as text (it must be UTF-8).
#[derive(Debug)]
pub struct Ran {
    /// The exit code; `None` if a signal ended it.
    pub code: Option<i32>,
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// `slipmark args…` from the crate root, with the test's environment.
pub fn slipmark(args: &[&str]) -> Ran {
    run(command(args))
}

/// `slipmark args…` from the crate root, with no environment but `env`.
pub fn slipmark_with_env(args: &[&str], env: &[(&str, &OsStr)]) -> Ran {
    let mut command = command(args);
    command.env_clear().envs(env.iter().copied());
    run(command)
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_slipmark"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn run(mut command: Command) -> Ran {
    let out = command.output().expect("run slipmark");
    Ran {
        code: out.status.code(),
        success: out.status.success(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A fresh, empty directory under the system temp dir, removed when dropped. `name` must be
/// unique among the tests of one test binary.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("slipmark-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `text` to `name` in this directory and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let removed = std::fs::remove_dir_all(&self.path);
        // A failing test has already said why; otherwise the clean-up must work.
        if !std::thread::panicking() {
            removed.unwrap();
        }
    }
}
