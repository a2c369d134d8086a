//! Renders diagnostics the way rustc, ruff and uv do: `error: summary`, `--> file:line:col`, the
//! source line with carets under the span and the label after them, `= note:` lines, `hint:`.
//! This is where byte spans become line:col; the output reads the same without colour.

use std::fmt::Write;

use crate::cli::style::Style;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceMap, SourceSpan};

/// Columns a tab takes in a rendered source line (spaces replace it so carets stay aligned).
const TAB_WIDTH: usize = 4;

/// Renders every diagnostic, separated by a blank line. The result ends with a newline (empty
/// when there are none). The closing count (`error: 3 errors in spec ...`) is the caller's.
pub fn render_diagnostics(sources: &SourceMap, diagnostics: &Diagnostics, style: &Style) -> String {
    diagnostics
        .items
        .iter()
        .map(|diagnostic| render_diagnostic(sources, diagnostic, style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders one diagnostic; the result ends with a newline:
///
/// ```text
/// error: unknown attribute `cidr` on aws_subnet
///   --> specs/edgemind/network.tf:14:3
///    |
/// 14 |   cidr = "10.0.1.0/24"
///    |   ^^^^ did you mean `cidr_block`?
///    |
///    = note: first defined at specs/edgemind/network.tf:3:1
/// hint: did you mean `cidr_block`?
/// ```
///
/// Without a span (or with a span into a file the map does not hold) only the summary, the
/// notes and the hint are printed.
pub fn render_diagnostic(sources: &SourceMap, diagnostic: &Diagnostic, style: &Style) -> String {
    let mut text = String::new();
    let severity = match diagnostic.severity {
        Severity::Error => style.bold(&style.red("error")),
        Severity::Warning => style.bold(&style.yellow("warning")),
    };
    let _ = writeln!(
        text,
        "{severity}{}",
        style.bold(&format!(": {}", diagnostic.summary))
    );

    let snippet = diagnostic
        .span
        .as_ref()
        .and_then(|span| Snippet::locate(sources, span));
    let gutter_width = snippet
        .as_ref()
        .map(|snippet| snippet.line.to_string().len())
        .unwrap_or(1);
    let gutter = " ".repeat(gutter_width + 1);
    let bar = style.cyan("|");

    if let Some(snippet) = &snippet {
        let _ = writeln!(
            text,
            "{}{} {}:{}:{}",
            " ".repeat(gutter_width),
            style.cyan("-->"),
            snippet.path,
            snippet.line,
            snippet.column
        );
        let _ = writeln!(text, "{gutter}{bar}");
        let source_line = format!(
            "{} {bar} {}",
            style.cyan(&format!("{:>gutter_width$}", snippet.line)),
            snippet.source_line
        );
        let _ = writeln!(text, "{}", source_line.trim_end());
        let carets = "^".repeat(snippet.caret_width);
        let marker = match &diagnostic.label {
            Some(label) => format!("{carets} {label}"),
            None => carets,
        };
        let marker = match diagnostic.severity {
            Severity::Error => style.bold(&style.red(&marker)),
            Severity::Warning => style.bold(&style.yellow(&marker)),
        };
        let _ = writeln!(
            text,
            "{gutter}{bar} {}{marker}",
            " ".repeat(snippet.caret_offset)
        );
        if !diagnostic.notes.is_empty() {
            let _ = writeln!(text, "{gutter}{bar}");
        }
    }

    for note in &diagnostic.notes {
        let prefix = format!("{gutter}= ");
        let continuation = " ".repeat(prefix.len() + "note: ".len());
        for (index, note_line) in note.lines().enumerate() {
            if index == 0 {
                let _ = writeln!(text, "{gutter}{} {note_line}", style.bold("= note:"));
            } else {
                let _ = writeln!(text, "{continuation}{note_line}");
            }
        }
    }
    if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(text, "{} {hint}", style.bold(&style.cyan("hint:")));
    }
    text
}

/// Where a span starts, ready to print: the file path, 1-based line and column, the line's
/// text with tabs expanded, and where the carets go in that expanded text.
struct Snippet {
    path: String,
    line: usize,
    column: usize,
    source_line: String,
    caret_offset: usize,
    caret_width: usize,
}

impl Snippet {
    fn locate(sources: &SourceMap, span: &SourceSpan) -> Option<Snippet> {
        let file = sources.files.get(span.file.0 as usize)?;
        let text = file.text.as_str();
        let start = floor_char_boundary(text, span.range.start);
        let end = floor_char_boundary(text, span.range.end.max(start));
        let (line, column) = sources.line_col(span.file, start);

        let line_start = text[..start].rfind('\n').map_or(0, |index| index + 1);
        let line_end = text[start..]
            .find('\n')
            .map_or(text.len(), |index| start + index);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let underlined_end = end.min(line_start + line_text.len()).max(start);

        let caret_offset = display_width(&text[line_start..start]);
        let caret_width = display_width(&text[start..underlined_end]).max(1);
        Some(Snippet {
            path: file.path.display().to_string(),
            line,
            column,
            source_line: line_text.replace('\t', &" ".repeat(TAB_WIDTH)),
            caret_offset,
            caret_width,
        })
    }
}

/// Columns `text` takes once tabs are expanded.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|character| if character == '\t' { TAB_WIDTH } else { 1 })
        .sum()
}

/// The largest char boundary at or before `offset`, within the text.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::style::strip_ansi;
    use crate::diagnostics::{FileId, SourceSpan};

    const NETWORK: &str = "\
resource \"aws_vpc\" \"main\" {
  cidr_block = \"10.0.0.0/16\"
}

resource \"aws_subnet\" \"public\" {
  vpc_id = aws_vpc.main.id
  cidr = \"10.0.1.0/24\"
}
";

    fn sources() -> (SourceMap, FileId) {
        let mut sources = SourceMap::default();
        let file = sources.add("specs/edgemind/network.tf".into(), NETWORK.to_string());
        (sources, file)
    }

    fn span_of(sources: &SourceMap, file: FileId, needle: &str) -> SourceSpan {
        let start = sources
            .file(file)
            .text
            .find(needle)
            .expect("needle in source");
        SourceSpan::new(file, start..start + needle.len())
    }

    #[test]
    fn span_label_note_and_hint() {
        let (sources, file) = sources();
        let start = sources.file(file).text.find("  cidr =").unwrap() + 2;
        let diagnostic = Diagnostic::error(
            "unknown attribute `cidr` on aws_subnet",
            Some(SourceSpan::new(file, start..start + "cidr".len())),
        )
        .with_label("did you mean `cidr_block`?")
        .with_note("first defined at specs/edgemind/network.tf:5:1")
        .with_hint("did you mean `cidr_block`?");
        let rendered = render_diagnostic(&sources, &diagnostic, &Style::plain());
        assert!(rendered.contains("--> specs/edgemind/network.tf:7:3"));
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn warning_without_label_or_notes() {
        let (sources, file) = sources();
        let diagnostic = Diagnostic::warning(
            "`vpc_id` refers to a resource that is planned for deletion",
            Some(span_of(&sources, file, "aws_vpc.main.id")),
        );
        insta::assert_snapshot!(render_diagnostic(&sources, &diagnostic, &Style::plain()));
    }

    #[test]
    fn without_span_prints_summary_notes_and_hint() {
        let (sources, _) = sources();
        let diagnostic = Diagnostic::error("dependency cycle between 3 resources", None)
            .with_note(
                "aws_security_group.alb\n-> aws_security_group.app\n-> aws_security_group.alb",
            )
            .with_hint("break the cycle with a separate aws_security_group_rule");
        let rendered = render_diagnostic(&sources, &diagnostic, &Style::plain());
        assert!(!rendered.contains("-->"));
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn tabs_keep_carets_aligned() {
        let mut sources = SourceMap::default();
        let file = sources.add(
            "specs/tabs/main.tf".into(),
            "resource \"aws_eip\" \"nat\" {\n\tdomain\t= \"vpcc\"\n}\n".into(),
        );
        let start = sources.file(file).text.find("\"vpcc\"").unwrap();
        let diagnostic = Diagnostic::error(
            "invalid value for `domain`",
            Some(SourceSpan::new(file, start..start + 6)),
        )
        .with_label("expected \"vpc\" or \"standard\"");
        let rendered = render_diagnostic(&sources, &diagnostic, &Style::plain());
        assert!(
            rendered.contains(":2:11"),
            "column counts a tab as one character"
        );
        let lines: Vec<&str> = rendered.lines().collect();
        let source_line = lines.iter().find(|line| line.starts_with("2 |")).unwrap();
        let caret_line = lines.iter().find(|line| line.contains('^')).unwrap();
        assert_eq!(
            source_line.find("\"vpcc\""),
            caret_line.find('^'),
            "the caret sits under the value"
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn multi_line_span_underlines_to_the_end_of_its_first_line() {
        let (sources, file) = sources();
        let start = sources
            .file(file)
            .text
            .find("resource \"aws_subnet\"")
            .unwrap();
        let end = sources.file(file).text.len() - 1;
        let diagnostic = Diagnostic::error(
            "aws_subnet.public: `cidr_block` is required",
            Some(SourceSpan::new(file, start..end)),
        )
        .with_label("missing `cidr_block`");
        let rendered = render_diagnostic(&sources, &diagnostic, &Style::plain());
        let caret_line = rendered.lines().find(|line| line.contains('^')).unwrap();
        assert_eq!(
            caret_line.matches('^').count(),
            "resource \"aws_subnet\" \"public\" {".len()
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn empty_span_gets_one_caret_and_a_wide_line_number_widens_the_gutter() {
        let mut sources = SourceMap::default();
        let text = format!("{}locals {{\n  name = \n}}\n", "\n".repeat(99));
        let file = sources.add("specs/long.tf".into(), text.clone());
        let offset = text.find("= ").unwrap() + 2;
        let diagnostic = Diagnostic::error(
            "expected an expression",
            Some(SourceSpan::new(file, offset..offset)),
        );
        let rendered = render_diagnostic(&sources, &diagnostic, &Style::plain());
        insta::assert_snapshot!(rendered, @r"
        error: expected an expression
           --> specs/long.tf:101:10
            |
        101 |   name =
            |          ^
        ");
    }

    #[test]
    fn several_diagnostics_are_separated_by_a_blank_line() {
        let (sources, file) = sources();
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(Diagnostic::error(
            "unsupported block type `resources`",
            Some(span_of(&sources, file, "resource")),
        ));
        diagnostics.push(Diagnostic::warning("no output blocks in spec", None));
        let rendered = render_diagnostics(&sources, &diagnostics, &Style::plain());
        insta::assert_snapshot!(rendered, @r#"
        error: unsupported block type `resources`
         --> specs/edgemind/network.tf:1:1
          |
        1 | resource "aws_vpc" "main" {
          | ^^^^^^^^

        warning: no output blocks in spec
        "#);
    }

    #[test]
    fn span_into_an_unknown_file_prints_without_a_snippet() {
        let (sources, _) = sources();
        let diagnostic = Diagnostic::error("lost", Some(SourceSpan::new(FileId(7), 0..3)))
            .with_hint("check the loader");
        assert_eq!(
            render_diagnostic(&sources, &diagnostic, &Style::plain()),
            "error: lost\nhint: check the loader\n"
        );
    }

    #[test]
    fn color_adds_codes_but_not_text() {
        let (sources, file) = sources();
        let diagnostic = Diagnostic::error("bad", Some(span_of(&sources, file, "cidr_block")))
            .with_label("here")
            .with_note("a note")
            .with_hint("a hint");
        let plain = render_diagnostic(&sources, &diagnostic, &Style::plain());
        let colored = render_diagnostic(&sources, &diagnostic, &Style::colored());
        assert_ne!(plain, colored);
        assert!(colored.contains("\x1b[31m"));
        assert_eq!(strip_ansi(&colored), plain);
    }
}
