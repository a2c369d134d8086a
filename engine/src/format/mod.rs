//! `provision fmt`: rewrites a spec file in Terraform's canonical layout, the one `terraform
//! fmt` produces, so a spec formatted by either tool is left alone by the other.
//!
//! The layout works on tokens (see [`lexer`]), as Terraform's does:
//! - indentation: two spaces per bracket level, counted per line (a line that opens several
//!   brackets indents what follows by one level; a line that starts by closing goes back);
//!   heredoc text and multi-line comments keep their own;
//! - spacing between the tokens of a line: one space around operators and `=`, none inside
//!   brackets, after `(`-calls, around `.`, before `,`; single-line objects and blocks as
//!   `{ a = 1 }`, empty ones as `{}`; no trailing spaces;
//! - alignment: the `=` of consecutive single-line attributes, and comments at the end of
//!   consecutive lines, line up in a column;
//! - Terraform's rewrites: block labels quoted, an attribute that is only `"${expr}"` becomes
//!   `expr`, and a variable's legacy `type` (`"string"`, `list`, `map`, `set`) is spelled out.
//!
//! Blank lines and comments are kept as written. Files that do not parse are not formatted
//! (the caller reports the syntax error): see [`format_file`].

pub mod lexer;

use std::path::PathBuf;

use lexer::{tokenize, Token, TokenKind};

use crate::diagnostics::{Diagnostics, SourceMap};

/// A file `fmt` could not format: it does not parse.
#[derive(Debug)]
pub struct FormatError {
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
}

/// Checks that `text` parses as HCL, then formats it.
pub fn format_file(path: PathBuf, text: &str) -> Result<String, FormatError> {
    let mut sources = SourceMap::default();
    let file = sources.add(path, text.to_string());
    match crate::spec::parse::parse_body(&sources, file) {
        Ok(_) => Ok(format_source(text)),
        Err(diagnostics) => Err(FormatError {
            sources,
            diagnostics,
        }),
    }
}

/// Formats HCL source text (assumed to parse; text that does not is laid out as far as its
/// tokens allow).
pub fn format_source(text: &str) -> String {
    let mut tokens = tokenize(text);
    rewrite_structure(&mut tokens);
    set_spaces(&mut tokens);
    let mut lines = split_lines(tokens);
    set_indentation(&mut lines);
    align_cells(&mut lines);
    let mut output = String::with_capacity(text.len());
    for line in &lines {
        for token in line.tokens() {
            output.extend(std::iter::repeat_n(' ', token.spaces_before));
            output.push_str(&token.text);
        }
        if line.ends_with_newline {
            output.push('\n');
        }
    }
    output
}

// ---------------------------------------------------------------------------------------------
// Terraform's rewrites, which need to know where attributes and blocks are.

/// Walks the bodies of the file: quotes identifier block labels, unwraps interpolation-only
/// attribute values and spells out legacy variable types.
fn rewrite_structure(tokens: &mut Vec<Token>) {
    let mut index = 0;
    // The block types of the bodies we are in (empty: the file's top level).
    let mut blocks: Vec<String> = Vec::new();
    while index < tokens.len() {
        match tokens[index].kind {
            TokenKind::Newline | TokenKind::Comment => index += 1,
            TokenKind::CloseBrace => {
                blocks.pop();
                index += 1;
            }
            TokenKind::Identifier => {
                let name = tokens[index].text.clone();
                match next_significant(tokens, index + 1) {
                    Some(equal) if tokens[equal].kind == TokenKind::Equal => {
                        let start = equal + 1;
                        let end = value_end(tokens, start);
                        let value = tokens[start..end].to_vec();
                        let rewritten =
                            if blocks.len() == 1 && blocks[0] == "variable" && name == "type" {
                                rewrite_type(&value)
                            } else {
                                unwrap_interpolation(&value)
                            };
                        let length = rewritten.len();
                        tokens.splice(start..end, rewritten);
                        index = start + length;
                    }
                    _ => {
                        index = block_header(tokens, index + 1);
                        if index < tokens.len() && tokens[index].kind == TokenKind::OpenBrace {
                            blocks.push(name);
                            index += 1;
                        }
                    }
                }
            }
            _ => index += 1,
        }
    }
}

fn next_significant(tokens: &[Token], from: usize) -> Option<usize> {
    (from..tokens.len()).find(|&index| tokens[index].kind != TokenKind::Comment)
}

/// The end of an attribute's value starting at `start`: the newline (or trailing comment, or
/// closing brace of a one-line block) where its brackets are balanced.
fn value_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0i32;
    let mut index = start;
    while index < tokens.len() {
        let token = &tokens[index];
        if depth == 0 {
            match token.kind {
                TokenKind::Newline => return index,
                TokenKind::Comment
                    if tokens
                        .get(index + 1)
                        .is_none_or(|next| next.kind == TokenKind::Newline) =>
                {
                    return index
                }
                TokenKind::CloseBrace => return index,
                _ => {}
            }
        }
        match token.kind {
            TokenKind::OpenHeredoc => depth += 1,
            TokenKind::CloseHeredoc => depth -= 1,
            _ => depth += token.bracket_change(),
        }
        index += 1;
    }
    tokens.len()
}

/// Skips a block's labels, quoting identifier labels; returns the index of its `{` (or of
/// whatever stopped the header).
fn block_header(tokens: &mut Vec<Token>, mut index: usize) -> usize {
    while index < tokens.len() {
        match tokens[index].kind {
            TokenKind::Identifier => {
                let label = tokens[index].text.clone();
                let quoted = [
                    Token::new(TokenKind::OpenQuote, "\""),
                    Token::new(TokenKind::QuotedLiteral, label),
                    Token::new(TokenKind::CloseQuote, "\""),
                ];
                tokens.splice(index..index + 1, quoted);
                index += 3;
            }
            TokenKind::OpenQuote => {
                while index < tokens.len() && tokens[index].kind != TokenKind::CloseQuote {
                    index += 1;
                }
                index += 1;
            }
            TokenKind::Comment => index += 1,
            _ => return index,
        }
    }
    index
}

/// `"${expr}"` → `expr` when the quotes hold exactly one interpolation and no literal text
/// (nested strings may hold their own); a multi-line result is wrapped in parentheses.
fn unwrap_interpolation(value: &[Token]) -> Vec<Token> {
    use TokenKind::*;
    let unchanged = || value.to_vec();
    if value.len() < 5
        || value[0].kind != OpenQuote
        || value[1].kind != TemplateInterpolation
        || value[value.len() - 2].kind != TemplateSequenceEnd
        || value[value.len() - 1].kind != CloseQuote
    {
        return unchanged();
    }
    let inside = &value[2..value.len() - 2];
    let mut quotes = 0;
    for token in inside {
        match token.kind {
            OpenQuote => quotes += 1,
            CloseQuote => quotes -= 1,
            _ if quotes > 0 => {}
            TemplateInterpolation | TemplateSequenceEnd | QuotedLiteral => return unchanged(),
            _ => {}
        }
    }
    let first = inside.iter().position(|token| token.kind != Newline);
    let last = inside.iter().rposition(|token| token.kind != Newline);
    let (Some(first), Some(last)) = (first, last) else {
        return unchanged();
    };
    let trimmed = &inside[first..=last];
    let multi_line = trimmed.iter().any(|token| token.kind == Newline);
    let parenthesized =
        trimmed[0].kind == OpenParenthesis && trimmed[trimmed.len() - 1].kind == CloseParenthesis;
    if multi_line && !parenthesized {
        let mut wrapped = vec![Token::new(OpenParenthesis, "(")];
        wrapped.extend_from_slice(trimmed);
        wrapped.push(Token::new(CloseParenthesis, ")"));
        wrapped
    } else {
        trimmed.to_vec()
    }
}

/// A variable's `type`: `list` / `map` / `set` → `list(any)`...; Terraform 0.11's quoted
/// `"string"`, `"list"`, `"map"` → `string`, `list(string)`, `map(string)`.
fn rewrite_type(value: &[Token]) -> Vec<Token> {
    use TokenKind::*;
    let call = |name: &str, element: &str| {
        vec![
            Token::new(Identifier, name),
            Token::new(OpenParenthesis, "("),
            Token::new(Identifier, element),
            Token::new(CloseParenthesis, ")"),
        ]
    };
    match value {
        [keyword] if keyword.kind == Identifier => match keyword.text.as_str() {
            "list" | "map" | "set" => call(&keyword.text, "any"),
            _ => value.to_vec(),
        },
        [open, literal, close]
            if open.kind == OpenQuote
                && literal.kind == QuotedLiteral
                && close.kind == CloseQuote =>
        {
            match literal.text.as_str() {
                "string" => vec![Token::new(Identifier, "string")],
                "list" => call("list", "string"),
                "map" => call("map", "string"),
                _ => value.to_vec(),
            }
        }
        _ => value.to_vec(),
    }
}

// ---------------------------------------------------------------------------------------------
// Spacing between tokens.

fn set_spaces(tokens: &mut [Token]) {
    for index in 0..tokens.len() {
        let spaces = if index == 0 {
            0
        } else {
            let before = index.checked_sub(2).map(|before| &tokens[before]);
            usize::from(space_between(before, &tokens[index - 1], &tokens[index]))
        };
        tokens[index].spaces_before = spaces;
    }
}

/// Whether a space goes between `subject` and the `after` that follows it (`before` precedes
/// `subject`).
fn space_between(before: Option<&Token>, subject: &Token, after: &Token) -> bool {
    use TokenKind::*;
    let before = before.map(|token| token.kind);
    match (subject.kind, after.kind) {
        (_, Newline) => false,
        (Identifier, OpenParenthesis) => false,
        (Identifier, DoubleColon) | (DoubleColon, Identifier) => false,
        (Dot, _) | (_, Dot) => false,
        (_, Comma | Ellipsis) => false,
        (Comma, _) => true,
        (QuotedLiteral | StringLiteral | OpenQuote | OpenHeredoc, _)
        | (_, QuotedLiteral | StringLiteral | CloseQuote | CloseHeredoc) => false,
        // `[for x in [a] : x]`: `in` is a keyword, not a value being indexed.
        (Identifier, OpenBracket) if subject.text == "in" && before == Some(Identifier) => true,
        (Identifier | Number, OpenBracket) => false,
        (_, OpenBracket) if subject.bracket_change() < 0 => false,
        (Minus, _) => !matches!(
            before,
            None | Some(
                OpenParenthesis
                    | OpenBrace
                    | OpenBracket
                    | Equal
                    | Colon
                    | Comma
                    | Question
                    | Plus
                    | Star
                    | Slash
                    | Percent
                    | Minus
                    | EqualOperator
                    | NotEqual
                    | Greater
                    | GreaterOrEqual
                    | Less
                    | LessOrEqual
                    | And
                    | Or
                    | Bang
                    | Newline
                    | TemplateInterpolation
                    | TemplateControl
                    | FatArrow
            )
        ),
        (OpenBrace, CloseBrace) => false,
        (OpenBrace, _) | (_, CloseBrace) => true,
        (TemplateInterpolation | TemplateControl, OpenBrace) => true,
        (CloseBrace, TemplateSequenceEnd) => true,
        (TemplateSequenceEnd, TemplateInterpolation | TemplateControl) => false,
        (Bang, _) => false,
        _ if subject.bracket_change() > 0 => false,
        _ if after.bracket_change() < 0 => false,
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Lines, indentation and alignment.

/// One line of output, in Terraform's three cells: what precedes the `=` of a single-line
/// attribute, the `=` and its value, and a trailing comment.
#[derive(Debug, Default)]
struct Line {
    lead: Vec<Token>,
    assign: Vec<Token>,
    comment: Vec<Token>,
    ends_with_newline: bool,
}

impl Line {
    fn tokens(&self) -> impl Iterator<Item = &Token> {
        self.lead.iter().chain(&self.assign).chain(&self.comment)
    }
}

fn columns(tokens: &[Token]) -> usize {
    tokens.iter().map(Token::columns).sum()
}

/// Net brackets opened by `tokens`, counting up to a heredoc's start (its text is not code).
fn net_brackets<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> i32 {
    let mut net = 0;
    for token in tokens {
        net += token.bracket_change();
        if token.kind == TokenKind::OpenHeredoc {
            break;
        }
    }
    net
}

fn split_lines(tokens: Vec<Token>) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = Line::default();
    for token in tokens {
        if token.kind == TokenKind::Newline {
            current.ends_with_newline = true;
            lines.push(std::mem::take(&mut current));
        } else {
            current.lead.push(token);
        }
    }
    if !current.lead.is_empty() {
        lines.push(current);
    }
    for line in &mut lines {
        if line.lead.len() > 1
            && line
                .lead
                .last()
                .is_some_and(|t| t.kind == TokenKind::Comment)
        {
            line.comment = line.lead.split_off(line.lead.len() - 1);
        }
        let equal = line
            .lead
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, token)| token.kind == TokenKind::Equal)
            .map(|(index, _)| index);
        if let Some(equal) = equal {
            if net_brackets(&line.lead[equal..]) == 0 {
                line.assign = line.lead.split_off(equal);
            }
        }
    }
    lines
}

/// Two spaces per open bracket level, where the levels come from the lines that opened them.
fn set_indentation(lines: &mut [Line]) {
    // For each open level, how many brackets the line that opened it left open.
    let mut levels: Vec<i32> = Vec::new();
    for line in lines.iter_mut() {
        if line.lead.is_empty() {
            continue;
        }
        let net = net_brackets(line.lead.iter().chain(&line.assign));
        if net < 0 {
            let mut closed = -net;
            while closed > 0 {
                let Some(last) = levels.last_mut() else {
                    break;
                };
                if closed >= *last {
                    closed -= *last;
                    levels.pop();
                } else {
                    *last -= closed;
                    closed = 0;
                }
            }
        }
        line.lead[0].spaces_before = 2 * levels.len();
        if net > 0 {
            levels.push(net);
        }
    }
}

/// Lines up the `=` of consecutive attribute lines, then the trailing comments of
/// consecutive commented lines.
fn align_cells(lines: &mut [Line]) {
    let mut start = 0;
    while start < lines.len() {
        if lines[start].assign.is_empty() {
            start += 1;
            continue;
        }
        let end = (start..lines.len())
            .find(|&index| lines[index].assign.is_empty())
            .unwrap_or(lines.len());
        let widest = lines[start..end]
            .iter()
            .map(|line| columns(&line.lead))
            .max()
            .unwrap_or(0);
        for line in &mut lines[start..end] {
            let width = columns(&line.lead);
            line.assign[0].spaces_before = widest - width + 1;
        }
        start = end;
    }
    let mut start = 0;
    while start < lines.len() {
        if lines[start].comment.is_empty() {
            start += 1;
            continue;
        }
        let end = (start..lines.len())
            .find(|&index| lines[index].comment.is_empty())
            .unwrap_or(lines.len());
        let width = |line: &Line| columns(&line.lead) + columns(&line.assign);
        let widest = lines[start..end].iter().map(width).max().unwrap_or(0);
        for line in &mut lines[start..end] {
            let own = width(line);
            line.comment[0].spaces_before = widest - own + 1;
        }
        start = end;
    }
}

#[cfg(test)]
mod tests;
