//! Diagnostics: errors and warnings that carry a byte span into a spec file until the CLI
//! renders them as `file:line:col` with a snippet, a caret and a hint.

use std::ops::Range;
use std::path::PathBuf;

/// Index of a file in a `SourceMap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SourceSpan {
    pub file: FileId,
    pub range: Range<usize>,
}

impl SourceSpan {
    pub fn new(file: FileId, range: Range<usize>) -> SourceSpan {
        SourceSpan { file, range }
    }

    /// The span covering both.
    pub fn to(&self, other: &SourceSpan) -> SourceSpan {
        if self.file != other.file {
            return self.clone();
        }
        SourceSpan {
            file: self.file,
            range: self.range.start.min(other.range.start)..self.range.end.max(other.range.end),
        }
    }
}

/// One loaded spec file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (`specs/edgemind/network.tf`).
    pub path: PathBuf,
    pub text: String,
}

/// Every file a run loaded, by `FileId`.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile { path, text });
        FileId((self.files.len() - 1) as u32)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = &self.file(id).text;
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|index| index + 1).unwrap_or(0);
        let column = text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset(&self, id: FileId, line: usize, column: usize) -> usize {
        let text = &self.file(id).text;
        let mut offset = 0;
        for (index, current) in text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                return offset
                    + current
                        .char_indices()
                        .nth(column.saturating_sub(1))
                        .map(|(byte, _)| byte)
                        .unwrap_or(current.len());
            }
            offset += current.len();
        }
        text.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a spec: a summary, where, an optional label under the caret, an
/// optional hint, and optional extra notes (a dependency cycle lists its members there).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub span: Option<SourceSpan>,
    /// Short text printed after the caret.
    pub label: Option<String>,
    /// `hint: ...` line.
    pub hint: Option<String>,
    /// Further lines (`note: ...`).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, span: Option<SourceSpan>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            span,
            label: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(summary: impl Into<String>, span: Option<SourceSpan>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(summary, span)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A collection of diagnostics; checks keep going after the first error when more can be found.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_and_offset_are_inverse() {
        let mut sources = SourceMap::default();
        let file = sources.add("a.tf".into(), "ab\ncdé\nf".into());
        assert_eq!(sources.line_col(file, 0), (1, 1));
        assert_eq!(sources.line_col(file, 4), (2, 2));
        assert_eq!(sources.offset(file, 2, 2), 4);
        assert_eq!(sources.line_col(file, 8), (3, 1));
    }
}
