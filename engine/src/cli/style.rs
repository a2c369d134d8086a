//! Terminal styling: whether to colour output (`NO_COLOR`, `--no-color`, not a terminal) and
//! helpers that paint text with ANSI codes only when colour is on, so every rendering reads the
//! same without colour.

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// How to style text written to one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// True to emit ANSI colour and weight codes.
    pub color: bool,
}

impl Style {
    /// No colour: what goes to files, pipes and snapshots.
    pub fn plain() -> Style {
        Style { color: false }
    }

    /// Colour on, whatever the environment says.
    pub fn colored() -> Style {
        Style { color: true }
    }

    /// Colour only when the stream is a terminal, the `--no-color` flag was not given and the
    /// `NO_COLOR` environment variable is unset or empty (<https://no-color.org>).
    pub fn detect(no_color_flag: bool, stream_is_terminal: bool) -> Style {
        let no_color_variable = std::env::var_os("NO_COLOR");
        Style::decide(
            no_color_flag,
            stream_is_terminal,
            no_color_variable
                .as_deref()
                .and_then(|value| value.to_str()),
        )
    }

    /// `detect` without reading the environment: `no_color_variable` is `NO_COLOR`'s value.
    fn decide(
        no_color_flag: bool,
        stream_is_terminal: bool,
        no_color_variable: Option<&str>,
    ) -> Style {
        let no_color_requested = no_color_variable.is_some_and(|value| !value.is_empty());
        Style {
            color: stream_is_terminal && !no_color_flag && !no_color_requested,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(DIM, text)
    }

    pub fn red(&self, text: &str) -> String {
        self.paint(RED, text)
    }

    pub fn green(&self, text: &str) -> String {
        self.paint(GREEN, text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint(YELLOW, text)
    }

    pub fn cyan(&self, text: &str) -> String {
        self.paint(CYAN, text)
    }
}

/// Removes ANSI escape sequences (`ESC [ ... letter`): the visible text of a painted string.
pub fn strip_ansi(text: &str) -> String {
    let mut visible = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\x1b' && characters.peek() == Some(&'[') {
            characters.next();
            for inner in characters.by_ref() {
                if inner.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            visible.push(character);
        }
    }
    visible
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_leaves_text_untouched() {
        let style = Style::plain();
        assert_eq!(style.bold("x"), "x");
        assert_eq!(style.red("x"), "x");
        assert_eq!(style.green("x"), "x");
        assert_eq!(style.yellow("x"), "x");
        assert_eq!(style.cyan("x"), "x");
        assert_eq!(style.dim("x"), "x");
    }

    #[test]
    fn colored_style_wraps_text_in_ansi_codes() {
        let style = Style::colored();
        assert_eq!(style.red("error"), "\x1b[31merror\x1b[0m");
        assert_eq!(style.bold("x"), "\x1b[1mx\x1b[0m");
        assert_eq!(strip_ansi(&style.bold(&style.green("+"))), "+");
    }

    #[test]
    fn color_only_on_a_terminal_without_opt_out() {
        assert!(Style::decide(false, true, None).color);
        assert!(Style::decide(false, true, Some("")).color);
        assert!(!Style::decide(false, false, None).color);
        assert!(!Style::decide(true, true, None).color);
        assert!(!Style::decide(false, true, Some("1")).color);
    }

    #[test]
    fn detect_never_colors_a_pipe() {
        assert!(!Style::detect(false, false).color);
        assert!(!Style::detect(true, true).color);
    }
}
