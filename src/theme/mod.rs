//! Built-in stylesheets, compiled into the binary.

/// The default book stylesheet.
pub const DEFAULT_CSS: &str = include_str!("book.css");
