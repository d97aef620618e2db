//! One file per subcommand that is more than a call into the pipeline: `check`, `init`,
//! `watch`, `languages`, and the generated `completions` and man page. `build` lives in
//! `lib.rs`.

pub mod check;
pub mod completions;
pub mod init;
pub mod languages;
pub mod progress;
pub mod watch;

use std::fmt;

/// A mistake in how inkbind was called (a file that cannot be read, say): exit status 2,
/// as for clap's own usage errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// True when `error` is (or was caused by) a [`UsageError`].
pub fn is_usage_error(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<UsageError>())
}
