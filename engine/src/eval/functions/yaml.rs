//! `yamlencode` and `yamldecode`. The encoder writes Terraform's exact layout (go-yaml's emitter
//! as cty-yaml drives it: every string double-quoted or, with line breaks, a literal block;
//! lines broken at spaces past column 80). The decoder reads yaml-rust2's events and resolves
//! scalars like cty-yaml (YAML 1.1 booleans, merge keys, anchors), because yaml-rust2's own
//! loader follows YAML 1.2's core schema, where `yes` is a string.

use std::collections::BTreeMap;

use provision_core::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{format_go_number, Arguments, FunctionError, FunctionResult};

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i64 = 2;

pub(super) fn yamlencode(arguments: &Arguments) -> FunctionResult {
    let mut emitter = Emitter::default();
    emitter.node(arguments.get(0), -1, Context::Root);
    emitter.output.push('\n');
    Ok(Value::String(emitter.output))
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Root,
    /// A block mapping's value.
    MappingValue,
    /// A block sequence's item.
    SequenceItem,
}

#[derive(Default)]
struct Emitter {
    output: String,
    column: usize,
}

impl Emitter {
    fn push(&mut self, text: &str) {
        for character in text.chars() {
            self.output.push(character);
            if character == '\n' {
                self.column = 0;
            } else {
                self.column += 1;
            }
        }
    }

    fn newline_indent(&mut self, indent: i64) {
        self.push("\n");
        for _ in 0..indent.max(0) {
            self.push(" ");
        }
    }

    /// Emits `value` whose parent's indent is `indent` (-1 at the root).
    fn node(&mut self, value: &Value, indent: i64, context: Context) {
        match value {
            Value::Map(entries) if !entries.is_empty() => {
                let own = if indent < 0 { 0 } else { indent + BEST_INDENT };
                for (position, (key, item)) in entries.iter().enumerate() {
                    if position > 0 || context == Context::MappingValue {
                        self.newline_indent(own);
                    }
                    self.double_quoted(key, own + BEST_INDENT, false);
                    self.push(":");
                    match item {
                        Value::Map(inner) if !inner.is_empty() => {
                            self.node(item, own, Context::MappingValue)
                        }
                        Value::List(inner) if !inner.is_empty() => {
                            // A sequence in a mapping is indentless: its items align with the key.
                            self.sequence(inner, own, true)
                        }
                        _ => {
                            self.push(" ");
                            self.node(item, own, Context::MappingValue);
                        }
                    }
                }
            }
            Value::List(items) if !items.is_empty() => {
                let own = if indent < 0 { 0 } else { indent + BEST_INDENT };
                self.sequence(items, own, context == Context::MappingValue);
            }
            Value::Map(_) => self.push("{}"),
            Value::List(_) => self.push("[]"),
            Value::Null | Value::Unknown => self.push("null"),
            Value::Bool(flag) => self.push(if *flag { "true" } else { "false" }),
            Value::Number(number) => self.push(&format_go_number(*number)),
            Value::String(text) => self.string(text, indent + BEST_INDENT, indent),
        }
    }

    /// Items at `indent`; `break_first` puts the first item on a new line.
    fn sequence(&mut self, items: &[Value], indent: i64, break_first: bool) {
        for (position, item) in items.iter().enumerate() {
            if position > 0 || break_first {
                self.newline_indent(indent);
            }
            self.push("-");
            match item {
                Value::Map(inner) if !inner.is_empty() => {
                    self.push(" ");
                    self.node(item, indent, Context::SequenceItem);
                }
                Value::List(inner) if !inner.is_empty() => {
                    self.push(" ");
                    self.sequence(inner, indent + BEST_INDENT, false);
                }
                _ => {
                    self.push(" ");
                    self.node(item, indent, Context::SequenceItem);
                }
            }
        }
    }

    /// A string scalar; `indent` is the scalar's own indent (parent + 2).
    fn string(&mut self, text: &str, indent: i64, parent: i64) {
        let indent = if parent < 0 { BEST_INDENT } else { indent };
        if text.contains('\n') && block_allowed(text) {
            self.literal(text, indent);
        } else {
            self.double_quoted(text, indent, true);
        }
    }

    fn literal(&mut self, text: &str, indent: i64) {
        self.push("|");
        if text.starts_with([' ', '\n']) {
            self.push(&BEST_INDENT.to_string());
        }
        let trailing_breaks = text.len() - text.trim_end_matches('\n').len();
        match trailing_breaks {
            0 => self.push("-"),
            1 if text.len() > 1 => {}
            _ => self.push("+"),
        }
        let mut line_start = true;
        self.push("\n");
        for character in text.chars() {
            if character == '\n' {
                self.push("\n");
                line_start = true;
            } else {
                if line_start {
                    for _ in 0..indent {
                        self.push(" ");
                    }
                    line_start = false;
                }
                let mut buffer = [0u8; 4];
                self.push(character.encode_utf8(&mut buffer));
            }
        }
        // go-yaml ends a literal scalar at the start of a line; our caller adds the newline.
        if self.output.ends_with('\n') {
            self.output.pop();
        }
    }

    fn double_quoted(&mut self, text: &str, indent: i64, allow_breaks: bool) {
        self.push("\"");
        let characters: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut position = 0;
        while position < characters.len() {
            let character = characters[position];
            if !printable(character) || is_break(character) || character == '"' || character == '\\'
            {
                self.push(&escape(character));
                spaces = false;
            } else if character == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && position > 0
                    && position < characters.len() - 1
                {
                    self.newline_indent(indent);
                    if characters.get(position + 1) == Some(&' ') {
                        self.push("\\");
                    }
                } else {
                    self.push(" ");
                }
                spaces = true;
            } else {
                let mut buffer = [0u8; 4];
                self.push(character.encode_utf8(&mut buffer));
                spaces = false;
            }
            position += 1;
        }
        self.push("\"");
    }
}

/// go-yaml's `is_printable` (tab and 4-byte characters are not).
fn printable(character: char) -> bool {
    let code = character as u32;
    code == 0x0A
        || (0x20..=0x7E).contains(&code)
        || (0xA0..=0xD7FF).contains(&code)
        || ((0xE000..=0xFFFD).contains(&code) && code != 0xFEFF)
}

fn is_break(character: char) -> bool {
    matches!(character, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn escape(character: char) -> String {
    let code = character as u32;
    let short = match code {
        0x00 => "0",
        0x07 => "a",
        0x08 => "b",
        0x09 => "t",
        0x0A => "n",
        0x0B => "v",
        0x0C => "f",
        0x0D => "r",
        0x1B => "e",
        0x22 => "\"",
        0x5C => "\\",
        0x85 => "N",
        0xA0 => "_",
        0x2028 => "L",
        0x2029 => "P",
        _ if code <= 0xFF => return format!("\\x{code:02X}"),
        _ if code <= 0xFFFF => return format!("\\u{code:04X}"),
        _ => return format!("\\U{code:08X}"),
    };
    format!("\\{short}")
}

/// Whether go-yaml may write `text` as a literal block: no special characters, no space
/// before a line break, no trailing space.
fn block_allowed(text: &str) -> bool {
    let characters: Vec<char> = text.chars().collect();
    for (position, character) in characters.iter().enumerate() {
        if (!printable(*character) && *character != '\n') || *character == '\u{FEFF}' {
            return false;
        }
        if *character == ' '
            && characters
                .get(position + 1)
                .is_some_and(|next| is_break(*next))
        {
            return false;
        }
    }
    !text.ends_with(' ')
}

// ---- decoding ----

pub(super) fn yamldecode(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "src")?;
    decode(&text).map_err(|message| FunctionError::argument(0, message))
}

#[derive(Default)]
struct Collector {
    events: Vec<(Event, Marker)>,
}

impl MarkedEventReceiver for Collector {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.events.push((event, mark));
    }
}

fn at(mark: &Marker) -> String {
    format!("on line {}, column {}", mark.line(), mark.col() + 1)
}

fn decode(text: &str) -> Result<Value, String> {
    let mut collector = Collector::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut collector, true)
        .map_err(|error| format!("{} {}", at(error.marker()), error.info()))?;
    let documents = collector
        .events
        .iter()
        .filter(|(event, _)| matches!(event, Event::DocumentStart))
        .count();
    if documents == 0 {
        return Err("on line 1, column 1: missing start of document".to_string());
    }
    let mut builder = Builder {
        events: &collector.events,
        position: 0,
        anchors: BTreeMap::new(),
    };
    builder.skip_to_document()?;
    let value = builder.node()?;
    if documents > 1 {
        let mark = collector
            .events
            .iter()
            .filter(|(event, _)| matches!(event, Event::DocumentStart))
            .nth(1)
            .map(|(_, mark)| at(mark))
            .unwrap_or_default();
        return Err(format!("{mark}: unexpected extra content after value"));
    }
    Ok(value)
}

struct Builder<'a> {
    events: &'a [(Event, Marker)],
    position: usize,
    anchors: BTreeMap<usize, Value>,
}

fn core_tag(tag: &Option<Tag>) -> Option<Result<&str, String>> {
    let tag = tag.as_ref()?;
    if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
        Some(Ok(tag.suffix.as_str()))
    } else if tag.handle == "!" && tag.suffix.is_empty() {
        None
    } else {
        Some(Err(format!(
            "unsupported tag \"{}{}\"",
            tag.handle, tag.suffix
        )))
    }
}

impl Builder<'_> {
    fn next(&mut self) -> Result<&(Event, Marker), String> {
        let event = self
            .events
            .get(self.position)
            .ok_or_else(|| "unexpected end of the document".to_string())?;
        self.position += 1;
        Ok(event)
    }

    fn skip_to_document(&mut self) -> Result<(), String> {
        loop {
            if let (Event::DocumentStart, _) = self.next()? {
                return Ok(());
            }
        }
    }

    fn remember(&mut self, anchor: usize, value: &Value) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
    }

    fn node(&mut self) -> Result<Value, String> {
        let (event, mark) = self.next()?.clone();
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, &tag).map_err(|message| {
                    if message.starts_with("unsupported tag") {
                        message
                    } else {
                        format!("{}: {message}", at(&mark))
                    }
                })?;
                self.remember(anchor, &value);
                Ok(value)
            }
            Event::Alias(anchor) => self
                .anchors
                .get(&anchor)
                .cloned()
                .ok_or_else(|| format!("{}: unknown anchor", at(&mark))),
            Event::SequenceStart(anchor, tag) => {
                if let Some(Err(message)) = core_tag(&tag) {
                    return Err(message);
                }
                let mut items = Vec::new();
                while !matches!(
                    self.events.get(self.position),
                    Some((Event::SequenceEnd, _))
                ) {
                    items.push(self.node()?);
                }
                self.position += 1;
                let value = Value::List(items);
                self.remember(anchor, &value);
                Ok(value)
            }
            Event::MappingStart(anchor, tag) => {
                if let Some(Err(message)) = core_tag(&tag) {
                    return Err(message);
                }
                let mut entries = BTreeMap::new();
                let mut merged = BTreeMap::new();
                while !matches!(self.events.get(self.position), Some((Event::MappingEnd, _))) {
                    let is_merge = matches!(
                        self.events.get(self.position),
                        Some((Event::Scalar(text, TScalarStyle::Plain, _, None), _)) if text == "<<"
                    );
                    let key = self.node()?;
                    let item = self.node()?;
                    if is_merge {
                        let sources = match item {
                            Value::List(sources) => sources,
                            other => vec![other],
                        };
                        for source in sources {
                            let Value::Map(source) = source else {
                                return Err(format!(
                                    "{}: map merge requires a map or a sequence of maps",
                                    at(&mark)
                                ));
                            };
                            for (name, value) in source {
                                merged.entry(name).or_insert(value);
                            }
                        }
                        continue;
                    }
                    let Value::String(name) = key else {
                        return Err("only strings are allowed as mapping keys".to_string());
                    };
                    entries.insert(name, item);
                }
                self.position += 1;
                for (name, value) in merged {
                    entries.entry(name).or_insert(value);
                }
                let value = Value::Map(entries);
                self.remember(anchor, &value);
                Ok(value)
            }
            Event::DocumentEnd | Event::StreamEnd => Ok(Value::Null),
            _ => Err(format!("{}: unexpected YAML event", at(&mark))),
        }
    }
}

/// Resolves a scalar like cty-yaml: tags first, then (plain scalars only) null, bool, number,
/// timestamp; everything else is a string.
fn scalar(text: &str, style: TScalarStyle, tag: &Option<Tag>) -> Result<Value, String> {
    if let Some(suffix) = core_tag(tag) {
        let suffix = suffix?;
        return match suffix {
            "str" | "binary" => Ok(Value::String(text.to_string())),
            "null" => Ok(Value::Null),
            "bool" => resolve_bool(text)
                .map(Value::Bool)
                .ok_or_else(|| format!("cannot decode \"{text}\" as a bool")),
            "int" | "float" => resolve_number(text)
                .transpose()?
                .map(Value::Number)
                .ok_or_else(|| format!("cannot decode \"{text}\" as a number")),
            "timestamp" => Ok(Value::String(
                resolve_timestamp(text).unwrap_or(text.to_string()),
            )),
            "map" | "seq" => Err(format!("cannot decode a scalar as !!{suffix}")),
            other => Err(format!("unsupported tag \"!!{other}\"")),
        };
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Value::Null);
    }
    if let Some(flag) = resolve_bool(text) {
        return Ok(Value::Bool(flag));
    }
    if let Some(number) = resolve_number(text) {
        return number.map(Value::Number);
    }
    if let Some(timestamp) = resolve_timestamp(text) {
        return Ok(Value::String(timestamp));
    }
    Ok(Value::String(text.to_string()))
}

fn resolve_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

/// `Some(Ok(number))`, `Some(Err)` for NaN (which Terraform refuses), `None` when not a number.
fn resolve_number(text: &str) -> Option<Result<f64, String>> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(Ok(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Some(Ok(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => {
            return Some(Err("floating point NaN is not supported".to_string()))
        }
        _ => {}
    }
    let plain = text.replace('_', "");
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let radix = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| digits.strip_prefix(prefix).map(|rest| (rest, radix)));
    if let Some((rest, radix)) = radix {
        let magnitude = i128::from_str_radix(rest, radix).ok()? as f64;
        return Some(Ok(if negative { -magnitude } else { magnitude }));
    }
    super::parse_number(&plain).map(Ok)
}

/// YAML timestamps (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`) become RFC 3339 strings.
fn resolve_timestamp(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let date_like = bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && text[5..].chars().take(5).filter(|c| *c == '-').count() == 1;
    if !date_like {
        return None;
    }
    if bytes.len() == 10 && bytes[7] == b'-' {
        return super::datetime::Timestamp::parse(&format!("{text}T00:00:00Z"))
            .ok()
            .map(|timestamp| timestamp.rfc3339());
    }
    let normalized = text.replacen(['t', ' '], "T", 1);
    super::datetime::Timestamp::parse(&normalized)
        .ok()
        .map(|timestamp| timestamp.rfc3339_nanos())
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{list, map, n, ok, run, s, strings};
    use super::*;

    #[test]
    fn yamlencode_matches_terraforms_layout() {
        assert_eq!(
            ok("yamlencode", vec![map(&[("a", s("b")), ("c", s("d"))])]),
            s("\"a\": \"b\"\n\"c\": \"d\"\n")
        );
        assert_eq!(
            ok(
                "yamlencode",
                vec![map(&[
                    (
                        "foo",
                        list(vec![n(1.0), map(&[("a", s("b")), ("c", s("d"))]), n(3.0)])
                    ),
                    ("bar", s("baz"))
                ])]
            ),
            s("\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n")
        );
        assert_eq!(ok("yamlencode", vec![map(&[])]), s("{}\n"));
        assert_eq!(ok("yamlencode", vec![list(vec![])]), s("[]\n"));
        assert_eq!(
            ok(
                "yamlencode",
                vec![map(&[
                    ("a", map(&[])),
                    ("b", list(vec![])),
                    ("c", map(&[("d", list(vec![]))]))
                ])]
            ),
            s("\"a\": {}\n\"b\": []\n\"c\":\n  \"d\": []\n")
        );
        assert_eq!(ok("yamlencode", vec![s("plain")]), s("\"plain\"\n"));
        assert_eq!(
            ok(
                "yamlencode",
                vec![list(vec![
                    list(vec![n(1.0), n(2.0)]),
                    list(vec![list(vec![n(3.0)])]),
                    map(&[("a", list(vec![map(&[("b", n(1.0))])]))])
                ])]
            ),
            s("- - 1\n  - 2\n- - - 3\n- \"a\":\n  - \"b\": 1\n")
        );
    }

    #[test]
    fn yamlencode_scalars_quote_escape_and_fold_like_terraform() {
        let items = list(vec![
            s("a"),
            s("true"),
            s(""),
            Value::Null,
            Value::Bool(true),
            n(1.5),
            s("multi\nline"),
            s("multi\nline\n"),
            s("multi\nline\n\n"),
            s("  leading\nspace"),
            s("tab\tx"),
            s("ünï"),
            s("a\"b\\c"),
            s("x\u{7}y"),
            n(1e20),
            n(0.1),
            n(-3.0),
        ]);
        assert_eq!(
            ok("yamlencode", vec![items]),
            s("- \"a\"\n- \"true\"\n- \"\"\n- null\n- true\n- 1.5\n- |-\n  multi\n  line\n- |\n  multi\n  line\n- |+\n  multi\n  line\n\n- |2-\n    leading\n  space\n- \"tab\\tx\"\n- \"ünï\"\n- \"a\\\"b\\\\c\"\n- \"x\\ay\"\n- 100000000000000000000\n- 0.1\n- -3\n")
        );
        let long = "this is a very long string that goes on and on and on and on past eighty columns for sure yes";
        assert_eq!(
            ok("yamlencode", vec![map(&[("long", s(long))])]),
            s("\"long\": \"this is a very long string that goes on and on and on and on past eighty\n  columns for sure yes\"\n")
        );
    }

    #[test]
    fn yamldecode_resolves_like_terraform() {
        assert_eq!(
            ok("yamldecode", vec![s("hello: world")]),
            map(&[("hello", s("world"))])
        );
        assert_eq!(ok("yamldecode", vec![s("true")]), Value::Bool(true));
        assert_eq!(
            ok("yamldecode", vec![s("{a: &foo [1, 2, 3], b: *foo}")]),
            map(&[
                ("a", list(vec![n(1.0), n(2.0), n(3.0)])),
                ("b", list(vec![n(1.0), n(2.0), n(3.0)]))
            ])
        );
        assert_eq!(
            ok(
                "yamldecode",
                vec![s("- yes\n- no\n- on\n- 0x1F\n- 1e3\n- ~\n- null\n- 012\n- 0o14\n- 1_000\n- 0b101")]
            ),
            list(vec![
                Value::Bool(true),
                Value::Bool(false),
                Value::Bool(true),
                n(31.0),
                n(1000.0),
                Value::Null,
                Value::Null,
                n(12.0),
                n(12.0),
                n(1000.0),
                n(5.0),
            ])
        );
        assert_eq!(
            ok("yamldecode", vec![s("a: !!str 1\nb: 2.50\nc: \"yes\"")]),
            map(&[("a", s("1")), ("b", n(2.5)), ("c", s("yes"))])
        );
        assert_eq!(
            ok(
                "yamldecode",
                vec![s("a: &x {b: 1, c: 2}\nd:\n  <<: *x\n  c: 3")]
            ),
            map(&[
                ("a", map(&[("b", n(1.0)), ("c", n(2.0))])),
                ("d", map(&[("b", n(1.0)), ("c", n(3.0))]))
            ])
        );
        assert_eq!(
            ok("yamldecode", vec![s("a: 2001-12-14")]),
            map(&[("a", s("2001-12-14T00:00:00Z"))])
        );
        assert_eq!(
            ok("yamldecode", vec![s("a: |\n  x\n  y\n")]),
            map(&[("a", s("x\ny\n"))])
        );
        assert_eq!(ok("yamldecode", vec![s("[a, b]")]), strings(&["a", "b"]));
        for (bad, expected) in [
            ("", "missing start of document"),
            ("---\na: 1\n---\nb: 2", "unexpected extra content"),
            ("a: !custom x", "unsupported tag \"!custom\""),
            ("? [1, 2]\n: x", "only strings are allowed as mapping keys"),
            ("- .NaN", "NaN is not supported"),
            ("a: [", "line"),
        ] {
            let failure = run("yamldecode", vec![s(bad)]).expect_err(bad);
            assert!(failure.message.contains(expected), "{bad}: {failure:?}");
        }
    }

    #[test]
    fn yaml_round_trips() {
        let value = map(&[
            (
                "list",
                list(vec![s("a"), n(2.0), Value::Bool(false), Value::Null]),
            ),
            ("text", s("line one\nline two\n")),
            ("nested", map(&[("deep", map(&[("x", s("yes"))]))])),
        ]);
        let encoded = ok("yamlencode", vec![value.clone()]);
        assert_eq!(ok("yamldecode", vec![encoded]), value);
    }
}
