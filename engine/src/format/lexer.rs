//! The tokens `provision fmt` lays out: HCL's native syntax cut into identifiers, literals,
//! operators, template delimiters, heredocs, comments and newlines, each keeping its exact text
//! (whitespace between tokens is dropped; the layout puts it back).

/// What a token is, as far as layout cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Identifier,
    Number,
    /// `"` opening a quoted template.
    OpenQuote,
    /// Literal text inside a quoted template, escapes kept as written.
    QuotedLiteral,
    /// `"` closing a quoted template.
    CloseQuote,
    /// `${` (or `${~`).
    TemplateInterpolation,
    /// `%{` (or `%{~`).
    TemplateControl,
    /// The `}` (or `~}`) that closes `${` or `%{`.
    TemplateSequenceEnd,
    /// `<<EOT` or `<<-EOT` and the newline after it.
    OpenHeredoc,
    /// Literal text of a heredoc, including its newlines and indentation.
    StringLiteral,
    /// The line that closes a heredoc, with its indentation.
    CloseHeredoc,
    /// `# ...`, `// ...` (without the newline) or `/* ... */`.
    Comment,
    Newline,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    OpenParenthesis,
    CloseParenthesis,
    Equal,
    Comma,
    Dot,
    Ellipsis,
    Colon,
    DoubleColon,
    Question,
    FatArrow,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    EqualOperator,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
    Bang,
    /// Anything the lexer does not know (the file failed to parse anyway).
    Invalid,
}

/// One token: its kind, exact text, and the spaces the layout puts before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
    pub spaces_before: usize,
}

impl Token {
    pub fn new(kind: TokenKind, text: impl Into<String>) -> Token {
        Token {
            kind,
            text: text.into(),
            spaces_before: 0,
        }
    }

    /// +1 for a token that opens a bracket (templates' `${` / `%{` included), -1 for one that
    /// closes it, else 0.
    pub fn bracket_change(&self) -> i32 {
        use TokenKind::*;
        match self.kind {
            OpenBrace | OpenBracket | OpenParenthesis | TemplateInterpolation | TemplateControl => {
                1
            }
            CloseBrace | CloseBracket | CloseParenthesis | TemplateSequenceEnd => -1,
            _ => 0,
        }
    }

    /// Width in characters (what alignment counts).
    pub fn columns(&self) -> usize {
        self.spaces_before + self.text.chars().count()
    }
}

/// What the lexer is inside of.
#[derive(Debug, Clone)]
enum Mode {
    /// Expressions and bodies; `braces` counts `{` opened in this mode (so the matching `}`
    /// of a template sequence is recognised).
    Normal {
        braces: usize,
        in_template: bool,
    },
    Quoted,
    Heredoc {
        marker: String,
    },
}

/// Cuts `source` into tokens. Never fails: text it cannot place becomes [`TokenKind::Invalid`].
pub fn tokenize(source: &str) -> Vec<Token> {
    Lexer {
        source,
        position: 0,
        modes: vec![Mode::Normal {
            braces: 0,
            in_template: false,
        }],
        tokens: Vec::new(),
    }
    .run()
}

struct Lexer<'a> {
    source: &'a str,
    position: usize,
    modes: Vec<Mode>,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(mut self) -> Vec<Token> {
        while self.position < self.source.len() {
            match self.modes.last().cloned() {
                Some(Mode::Quoted) => self.quoted(),
                Some(Mode::Heredoc { marker }) => self.heredoc(&marker),
                _ => self.normal(),
            }
        }
        self.tokens
    }

    fn rest(&self) -> &str {
        &self.source[self.position..]
    }

    fn push(&mut self, kind: TokenKind, length: usize) {
        let text = &self.source[self.position..self.position + length];
        self.tokens.push(Token::new(kind, text));
        self.position += length;
    }

    fn normal(&mut self) {
        use TokenKind::*;
        let rest = self.rest();
        let character = rest.chars().next().expect("not at end");
        match character {
            ' ' | '\t' => {
                self.position += 1;
            }
            '\r' if rest.starts_with("\r\n") => {
                self.tokens.push(Token::new(Newline, "\n"));
                self.position += 2;
            }
            '\n' => self.push(Newline, 1),
            '#' => self.line_comment(),
            '/' if rest.starts_with("//") => self.line_comment(),
            '/' if rest.starts_with("/*") => {
                let length = rest[2..].find("*/").map_or(rest.len(), |end| end + 4);
                self.push(Comment, length);
            }
            '"' => {
                self.push(OpenQuote, 1);
                self.modes.push(Mode::Quoted);
            }
            '<' if rest.starts_with("<<") && self.heredoc_start().is_some() => {
                let (length, marker) = self.heredoc_start().expect("checked");
                self.push(OpenHeredoc, length);
                self.modes.push(Mode::Heredoc { marker });
            }
            '{' => {
                if let Some(Mode::Normal { braces, .. }) = self.modes.last_mut() {
                    *braces += 1;
                }
                self.push(OpenBrace, 1);
            }
            '~' if rest.starts_with("~}") && self.closes_template() => {
                self.push(TemplateSequenceEnd, 2);
                self.modes.pop();
            }
            '}' => {
                if self.closes_template() {
                    self.push(TemplateSequenceEnd, 1);
                    self.modes.pop();
                } else {
                    if let Some(Mode::Normal { braces, .. }) = self.modes.last_mut() {
                        *braces = braces.saturating_sub(1);
                    }
                    self.push(CloseBrace, 1);
                }
            }
            '[' => self.push(OpenBracket, 1),
            ']' => self.push(CloseBracket, 1),
            '(' => self.push(OpenParenthesis, 1),
            ')' => self.push(CloseParenthesis, 1),
            ',' => self.push(Comma, 1),
            '?' => self.push(Question, 1),
            '+' => self.push(Plus, 1),
            '-' => self.push(Minus, 1),
            '*' => self.push(Star, 1),
            '/' => self.push(Slash, 1),
            '%' => self.push(Percent, 1),
            '.' if rest.starts_with("...") => self.push(Ellipsis, 3),
            '.' => self.push(Dot, 1),
            ':' if rest.starts_with("::") => self.push(DoubleColon, 2),
            ':' => self.push(Colon, 1),
            '=' if rest.starts_with("==") => self.push(EqualOperator, 2),
            '=' if rest.starts_with("=>") => self.push(FatArrow, 2),
            '=' => self.push(Equal, 1),
            '!' if rest.starts_with("!=") => self.push(NotEqual, 2),
            '!' => self.push(Bang, 1),
            '<' if rest.starts_with("<=") => self.push(LessOrEqual, 2),
            '<' => self.push(Less, 1),
            '>' if rest.starts_with(">=") => self.push(GreaterOrEqual, 2),
            '>' => self.push(Greater, 1),
            '&' if rest.starts_with("&&") => self.push(And, 2),
            '|' if rest.starts_with("||") => self.push(Or, 2),
            '0'..='9' => {
                let length = number_length(rest);
                self.push(Number, length);
            }
            character if character == '_' || character.is_alphabetic() => {
                let length = rest
                    .char_indices()
                    .find(|(_, next)| !(next.is_alphanumeric() || *next == '_' || *next == '-'))
                    .map_or(rest.len(), |(index, _)| index);
                self.push(Identifier, length);
            }
            other => self.push(Invalid, other.len_utf8()),
        }
    }

    /// Whether a `}` here closes a `${` / `%{` (no `{` of this template still open).
    fn closes_template(&self) -> bool {
        matches!(
            self.modes.last(),
            Some(Mode::Normal {
                braces: 0,
                in_template: true
            })
        )
    }

    fn line_comment(&mut self) {
        let rest = self.rest();
        let mut length = rest.find('\n').unwrap_or(rest.len());
        if rest[..length].ends_with('\r') {
            length -= 1;
        }
        self.push(TokenKind::Comment, length);
    }

    /// `<<EOT\n` / `<<-EOT\n`: the token's length (newline included) and the marker.
    fn heredoc_start(&self) -> Option<(usize, String)> {
        let rest = self.rest();
        let after = rest.strip_prefix("<<")?;
        let (dash, after) = match after.strip_prefix('-') {
            Some(after) => (1, after),
            None => (0, after),
        };
        let marker_length = after
            .char_indices()
            .find(|(_, next)| !(next.is_alphanumeric() || *next == '_' || *next == '-'))
            .map_or(after.len(), |(index, _)| index);
        if marker_length == 0 {
            return None;
        }
        let marker = &after[..marker_length];
        let newline = if after[marker_length..].starts_with("\r\n") {
            2
        } else if after[marker_length..].starts_with('\n') {
            1
        } else {
            return None;
        };
        Some((2 + dash + marker_length + newline, marker.to_string()))
    }

    /// Inside `"..."`: literal text up to `"`, `${` or `%{` (`$${` and `%%{` are escapes).
    fn quoted(&mut self) {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'\\' => index += 2,
                b'"' | b'\n' => break,
                b'$' | b'%' if bytes.get(index + 1) == Some(&b'{') => {
                    if index > 0 && bytes[index - 1] == bytes[index] {
                        index += 2;
                    } else {
                        break;
                    }
                }
                _ => index += 1,
            }
        }
        let index = index.min(bytes.len());
        if index > 0 {
            self.push(TokenKind::QuotedLiteral, index);
            return;
        }
        let rest = self.rest();
        if rest.starts_with('"') {
            self.push(TokenKind::CloseQuote, 1);
            self.modes.pop();
        } else if rest.starts_with('\n') {
            // An unterminated string (the file did not parse); go back to expressions.
            self.modes.pop();
        } else {
            self.template_opening();
        }
    }

    /// `${` / `%{` (with an optional `~`), entering expression mode until its `}`.
    fn template_opening(&mut self) {
        let rest = self.rest();
        let kind = if rest.starts_with('$') {
            TokenKind::TemplateInterpolation
        } else {
            TokenKind::TemplateControl
        };
        let length = if rest[2..].starts_with('~') { 3 } else { 2 };
        self.push(kind, length);
        self.modes.push(Mode::Normal {
            braces: 0,
            in_template: true,
        });
    }

    /// Inside a heredoc: whole lines of literal text (templates cut out), up to the line that
    /// holds only the marker.
    fn heredoc(&mut self, marker: &str) {
        let rest = self.rest();
        let at_line_start = self
            .source
            .get(..self.position)
            .is_none_or(|before| before.is_empty() || before.ends_with('\n'));
        if at_line_start {
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let line = rest[..line_end].trim_end_matches('\r');
            if line.trim() == marker {
                self.push(TokenKind::CloseHeredoc, line.len());
                self.modes.pop();
                return;
            }
        }
        let bytes = rest.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'\n' => {
                    index += 1;
                    break;
                }
                b'$' | b'%' if bytes.get(index + 1) == Some(&b'{') => {
                    if index > 0 && bytes[index - 1] == bytes[index] {
                        index += 2;
                    } else {
                        break;
                    }
                }
                _ => index += 1,
            }
        }
        if index > 0 {
            self.push(TokenKind::StringLiteral, index);
        } else {
            self.template_opening();
        }
    }
}

/// `12`, `1.5`, `1e3`, `2.5E-4`.
fn number_length(text: &str) -> usize {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count()
    };
    let mut length = digits(0);
    if bytes.get(length) == Some(&b'.') && bytes.get(length + 1).is_some_and(u8::is_ascii_digit) {
        length += 1 + digits(length + 1);
    }
    if matches!(bytes.get(length), Some(b'e' | b'E')) {
        let mut exponent = length + 1;
        if matches!(bytes.get(exponent), Some(b'+' | b'-')) {
            exponent += 1;
        }
        let exponent_digits = digits(exponent.min(bytes.len()));
        if exponent_digits > 0 {
            length = exponent + exponent_digits;
        }
    }
    length
}

#[cfg(test)]
mod tests {
    use super::TokenKind::*;
    use super::*;

    fn kinds(source: &str) -> Vec<(TokenKind, String)> {
        tokenize(source)
            .into_iter()
            .map(|token| (token.kind, token.text))
            .collect()
    }

    #[test]
    fn templates_nest_inside_strings_and_braces_inside_templates() {
        let tokens = kinds(r#"a = "x-${ {b = 1}.b }-$${y}""#);
        let expected = vec![
            (Identifier, "a"),
            (Equal, "="),
            (OpenQuote, "\""),
            (QuotedLiteral, "x-"),
            (TemplateInterpolation, "${"),
            (OpenBrace, "{"),
            (Identifier, "b"),
            (Equal, "="),
            (Number, "1"),
            (CloseBrace, "}"),
            (Dot, "."),
            (Identifier, "b"),
            (TemplateSequenceEnd, "}"),
            (QuotedLiteral, "-$${y}"),
            (CloseQuote, "\""),
        ];
        let expected: Vec<(TokenKind, String)> = expected
            .into_iter()
            .map(|(kind, text)| (kind, text.to_string()))
            .collect();
        assert_eq!(tokens, expected);
    }

    #[test]
    fn heredocs_keep_their_lines_and_cut_out_templates() {
        let tokens = kinds("x = <<-EOT\n  a ${ b }\n  EOT\ny = 1");
        assert_eq!(
            tokens[2..8].to_vec(),
            vec![
                (OpenHeredoc, "<<-EOT\n".to_string()),
                (StringLiteral, "  a ".to_string()),
                (TemplateInterpolation, "${".to_string()),
                (Identifier, "b".to_string()),
                (TemplateSequenceEnd, "}".to_string()),
                (StringLiteral, "\n".to_string()),
            ]
        );
        assert_eq!(tokens[8], (CloseHeredoc, "  EOT".to_string()));
        assert_eq!(tokens[9], (Newline, "\n".to_string()));
    }

    #[test]
    fn identifiers_take_dashes_and_numbers_take_exponents() {
        assert_eq!(
            kinds("a-b 1.5e3 2 - 1"),
            vec![
                (Identifier, "a-b".to_string()),
                (Number, "1.5e3".to_string()),
                (Number, "2".to_string()),
                (Minus, "-".to_string()),
                (Number, "1".to_string()),
            ]
        );
    }

    #[test]
    fn comments_of_three_kinds() {
        assert_eq!(
            kinds("# a  \n// b\n/* c\n d */"),
            vec![
                (Comment, "# a  ".to_string()),
                (Newline, "\n".to_string()),
                (Comment, "// b".to_string()),
                (Newline, "\n".to_string()),
                (Comment, "/* c\n d */".to_string()),
            ]
        );
    }
}
