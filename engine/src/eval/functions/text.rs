//! String functions beyond the basics: regular expressions (`regex`, `regexall`, `replace`
//! with `/pattern/`, RE2 syntax through the `regex` crate, which implements the same
//! guaranteed-linear dialect Go uses), `chomp`, `indent`, `strrev`, `strcontains`,
//! `urlencode`, `csvdecode` and the text encodings of `textencodebase64` / `textdecodebase64`.

use std::collections::BTreeMap;

use provision_core::Value;
use unicode_segmentation::UnicodeSegmentation;

use super::{base64_decode_bytes, base64_of, Arguments, FunctionError, FunctionResult};

fn compile(pattern: &str, position: usize) -> Result<regex::Regex, FunctionError> {
    regex::Regex::new(pattern).map_err(|error| {
        let detail = match &error {
            regex::Error::Syntax(text) => text
                .lines()
                .last()
                .unwrap_or(text)
                .trim_start_matches("error: ")
                .to_string(),
            other => other.to_string(),
        };
        FunctionError::argument(position, format!("invalid regexp pattern: {detail}"))
    })
}

/// How a pattern's matches are returned: the whole match, a list of groups, or a map of named
/// groups.
enum Shape {
    Whole,
    Positional,
    Named(Vec<(usize, String)>),
}

fn shape(expression: &regex::Regex) -> Result<Shape, FunctionError> {
    let names: Vec<Option<&str>> = expression.capture_names().skip(1).collect();
    if names.is_empty() {
        return Ok(Shape::Whole);
    }
    let named = names.iter().filter(|name| name.is_some()).count();
    if named == 0 {
        return Ok(Shape::Positional);
    }
    if named != names.len() {
        return Err(FunctionError::argument(
            0,
            "invalid regexp pattern: cannot mix both named and unnamed capture groups",
        ));
    }
    Ok(Shape::Named(
        names
            .iter()
            .enumerate()
            .filter_map(|(index, name)| name.map(|name| (index + 1, name.to_string())))
            .collect(),
    ))
}

fn group(captures: &regex::Captures<'_>, index: usize) -> Value {
    captures
        .get(index)
        .map(|found| Value::String(found.as_str().to_string()))
        .unwrap_or(Value::Null)
}

fn match_value(shape: &Shape, captures: &regex::Captures<'_>) -> Value {
    match shape {
        Shape::Whole => group(captures, 0),
        Shape::Positional => Value::List(
            (1..captures.len())
                .map(|index| group(captures, index))
                .collect(),
        ),
        Shape::Named(names) => Value::Map(
            names
                .iter()
                .map(|(index, name)| (name.clone(), group(captures, *index)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

pub(super) fn regex(arguments: &Arguments) -> FunctionResult {
    let pattern = arguments.string(0, "pattern")?;
    let text = arguments.string(1, "string")?;
    let expression = compile(&pattern, 0)?;
    let shape = shape(&expression)?;
    let captures = expression.captures(&text).ok_or_else(|| {
        FunctionError::call("pattern did not match any part of the given string")
            .with_hint("use regexall() to get an empty list instead, or can(regex(...)) to test")
    })?;
    Ok(match_value(&shape, &captures))
}

pub(super) fn regexall(arguments: &Arguments) -> FunctionResult {
    let pattern = arguments.string(0, "pattern")?;
    let text = arguments.string(1, "string")?;
    let expression = compile(&pattern, 0)?;
    let shape = shape(&expression)?;
    Ok(Value::List(
        expression
            .captures_iter(&text)
            .map(|captures| match_value(&shape, &captures))
            .collect(),
    ))
}

/// `replace(string, substring, replacement)`; a substring written `/.../` is a regular
/// expression, and the replacement may use `$1` / `${name}`.
pub(super) fn replace(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let substring = arguments.string(1, "substring")?;
    let replacement = arguments.string(2, "replacement")?;
    if substring.len() > 1 && substring.starts_with('/') && substring.ends_with('/') {
        let expression = compile(&substring[1..substring.len() - 1], 1)?;
        return Ok(Value::String(
            expression
                .replace_all(&text, replacement.as_str())
                .into_owned(),
        ));
    }
    if substring.is_empty() {
        // Go's strings.Replace: an empty old string matches before every character and at the end.
        let mut output = String::with_capacity(text.len() * (replacement.len() + 1));
        for character in text.chars() {
            output.push_str(&replacement);
            output.push(character);
        }
        output.push_str(&replacement);
        return Ok(Value::String(output));
    }
    Ok(Value::String(text.replace(&substring, &replacement)))
}

pub(super) fn chomp(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::String(
        text.trim_end_matches(['\n', '\r']).to_string(),
    ))
}

/// Adds `spaces` spaces before every line but the first.
pub(super) fn indent(arguments: &Arguments) -> FunctionResult {
    let spaces = arguments.integer(0, "spaces")?;
    let text = arguments.string(1, "string")?;
    let padding = " ".repeat(spaces.max(0) as usize);
    Ok(Value::String(text.replace('\n', &format!("\n{padding}"))))
}

/// Reverses by grapheme cluster, so `"👍🏽x"` becomes `"x👍🏽"`.
pub(super) fn strrev(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::String(text.graphemes(true).rev().collect()))
}

pub(super) fn strcontains(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let substring = arguments.string(1, "substr")?;
    Ok(Value::Bool(text.contains(&substring)))
}

/// Go's `url.QueryEscape`: unreserved characters stay, spaces become `+`, the rest `%XX`.
pub(super) fn urlencode(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let mut output = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                output.push(byte as char)
            }
            b' ' => output.push('+'),
            other => output.push_str(&format!("%{other:02X}")),
        }
    }
    Ok(Value::String(output))
}

/// RFC 4180 CSV (Go's `encoding/csv`): the first line names the fields; one map per record.
pub(super) fn csvdecode(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let records = parse_csv(&text).map_err(|message| FunctionError::argument(0, message))?;
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Err(FunctionError::argument(0, "missing header line"));
    };
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        if record.len() != header.len() {
            return Err(FunctionError::argument(
                0,
                format!(
                    "CSV parse error on line {}: wrong number of fields",
                    index + 2
                ),
            ));
        }
        rows.push(Value::Map(
            header
                .iter()
                .cloned()
                .zip(record.into_iter().map(Value::String))
                .collect(),
        ));
    }
    Ok(Value::List(rows))
}

fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut characters = text.chars().peekable();
    let mut line = 1;
    let mut in_record = false;
    while let Some(character) = characters.next() {
        match character {
            '"' if field.is_empty() => {
                in_record = true;
                let start_line = line;
                loop {
                    match characters.next() {
                        None => {
                            return Err(format!(
                                "CSV parse error on line {start_line}: extraneous or missing \" in quoted-field"
                            ))
                        }
                        Some('"') if characters.peek() == Some(&'"') => {
                            characters.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some('\n') => {
                            line += 1;
                            field.push('\n');
                        }
                        Some(other) => field.push(other),
                    }
                }
                match characters.peek() {
                    None | Some(',') | Some('\n') | Some('\r') => {}
                    Some(_) => {
                        return Err(format!(
                        "CSV parse error on line {line}: extraneous or missing \" in quoted-field"
                    ))
                    }
                }
            }
            ',' => {
                in_record = true;
                record.push(std::mem::take(&mut field));
            }
            '\r' if characters.peek() == Some(&'\n') => {}
            '\n' => {
                if in_record || !field.is_empty() {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                in_record = false;
                line += 1;
            }
            '"' => {
                return Err(format!(
                    "CSV parse error on line {line}: bare \" in non-quoted-field"
                ))
            }
            other => {
                in_record = true;
                field.push(other);
            }
        }
    }
    if in_record || !field.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// A character encoding by IANA name or alias.
enum Encoding {
    Utf8,
    Utf16 { big_endian: bool, bom: bool },
    Latin1,
    Ascii,
    Other(&'static encoding_rs::Encoding),
}

fn encoding(name: &str, position: usize) -> Result<(Encoding, &'static str), FunctionError> {
    let key = name.to_ascii_lowercase().replace('_', "-");
    let found = match key.as_str() {
        "utf-8" | "utf8" | "csutf8" => Some((Encoding::Utf8, "UTF-8")),
        "utf-16" | "utf16" | "csutf16" => Some((
            Encoding::Utf16 {
                big_endian: true,
                bom: true,
            },
            "UTF-16",
        )),
        "utf-16be" | "csutf16be" => Some((
            Encoding::Utf16 {
                big_endian: true,
                bom: false,
            },
            "UTF-16BE",
        )),
        "utf-16le" | "csutf16le" => Some((
            Encoding::Utf16 {
                big_endian: false,
                bom: false,
            },
            "UTF-16LE",
        )),
        "iso-8859-1" | "iso8859-1" | "latin1" | "l1" | "iso-ir-100" | "ibm819" | "cp819"
        | "csisolatin1" | "iso-8859-1:1987" => Some((Encoding::Latin1, "ISO_8859-1:1987")),
        "us-ascii" | "ascii" | "iso646-us" | "csascii" | "ansi-x3.4-1968" => {
            Some((Encoding::Ascii, "US-ASCII"))
        }
        _ => None,
    };
    if let Some(found) = found {
        return Ok(found);
    }
    // Only names that are IANA names or aliases, as Terraform's ianaindex accepts them.
    let iana_name = key.starts_with("iso-8859-")
        || key.starts_with("windows-125")
        || matches!(
            key.as_str(),
            "shift-jis"
                | "euc-jp"
                | "iso-2022-jp"
                | "euc-kr"
                | "gbk"
                | "gb18030"
                | "big5"
                | "koi8-r"
                | "koi8-u"
                | "ibm866"
                | "macintosh"
                | "windows-874"
                | "gb2312"
        );
    let other = iana_name
        .then(|| encoding_rs::Encoding::for_label(key.as_bytes()))
        .flatten();
    match other {
        Some(found) => Ok((Encoding::Other(found), found.name())),
        None => Err(FunctionError::argument(
            position,
            format!("\"{name}\" is not a supported IANA encoding name or alias in this Terraform version"),
        )),
    }
}

pub(super) fn textencodebase64(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let (encoding, display) = encoding(&arguments.string(1, "encoding")?, 1)?;
    let unrepresentable = || {
        FunctionError::argument(
            0,
            format!("the given string contains characters that cannot be represented in {display}"),
        )
    };
    let bytes: Vec<u8> = match encoding {
        Encoding::Utf8 => text.into_bytes(),
        Encoding::Utf16 { big_endian, bom } => {
            let mut bytes = Vec::new();
            let units = bom
                .then_some(0xFEFFu16)
                .into_iter()
                .chain(text.encode_utf16());
            for unit in units {
                if big_endian {
                    bytes.extend(unit.to_be_bytes());
                } else {
                    bytes.extend(unit.to_le_bytes());
                }
            }
            bytes
        }
        Encoding::Latin1 | Encoding::Ascii => {
            let limit = if matches!(encoding, Encoding::Latin1) {
                0xFF
            } else {
                0x7F
            };
            text.chars()
                .map(|character| {
                    u8::try_from(character as u32)
                        .ok()
                        .filter(|byte| u32::from(*byte) <= limit)
                })
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(unrepresentable)?
        }
        Encoding::Other(found) => {
            let (bytes, _, failed) = found.encode(&text);
            if failed {
                return Err(unrepresentable());
            }
            bytes.into_owned()
        }
    };
    Ok(Value::String(base64_of(&bytes)))
}

pub(super) fn textdecodebase64(arguments: &Arguments) -> FunctionResult {
    let source = arguments.string(0, "source")?;
    let (encoding, display) = encoding(&arguments.string(1, "encoding")?, 1)?;
    let bytes =
        base64_decode_bytes(&source).map_err(|message| FunctionError::argument(0, message))?;
    let invalid = || {
        FunctionError::argument(
            0,
            format!("the given string contains symbols that are not defined for {display}"),
        )
    };
    let text = match encoding {
        Encoding::Utf8 => String::from_utf8(bytes).map_err(|_| invalid())?,
        Encoding::Utf16 { big_endian, bom } => {
            if bytes.len() % 2 != 0 {
                return Err(invalid());
            }
            let mut units: Vec<u16> = bytes
                .chunks(2)
                .map(|pair| {
                    if big_endian {
                        u16::from_be_bytes([pair[0], pair[1]])
                    } else {
                        u16::from_le_bytes([pair[0], pair[1]])
                    }
                })
                .collect();
            if bom {
                match units.first() {
                    Some(0xFEFF) => {
                        units.remove(0);
                    }
                    Some(0xFFFE) => {
                        units = units.into_iter().skip(1).map(u16::swap_bytes).collect();
                    }
                    _ => {}
                }
            }
            String::from_utf16(&units).map_err(|_| invalid())?
        }
        Encoding::Latin1 => bytes.into_iter().map(char::from).collect(),
        Encoding::Ascii => {
            if bytes.iter().any(|byte| *byte > 0x7F) {
                return Err(invalid());
            }
            bytes.into_iter().map(char::from).collect()
        }
        Encoding::Other(found) => {
            let (text, failed) = found.decode_without_bom_handling(&bytes);
            if failed {
                return Err(invalid());
            }
            text.into_owned()
        }
    };
    Ok(Value::String(text))
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{list, map, ok, run, s, strings};
    use super::*;

    #[test]
    fn regex_returns_the_match_groups_or_named_groups() {
        assert_eq!(
            ok(
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]
            ),
            s("aaabbbccc")
        );
        assert_eq!(
            ok(
                "regex",
                vec![s("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)"), s("2019-02-01")]
            ),
            strings(&["2019", "02", "01"])
        );
        assert_eq!(
            ok(
                "regex",
                vec![
                    s("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                    s("https://terraform.io/docs/")
                ]
            ),
            map(&[("authority", s("terraform.io")), ("scheme", s("https"))])
        );
        assert_eq!(
            ok("regex", vec![s("(a)?b"), s("b")]),
            list(vec![Value::Null])
        );
        let missing = run("regex", vec![s("x"), s("abc")]).unwrap_err();
        assert!(
            missing.message.contains("did not match any part"),
            "{missing:?}"
        );
        let mixed = run("regex", vec![s("(a)(?P<n>b)"), s("ab")]).unwrap_err();
        assert!(mixed.message.contains("cannot mix both named and unnamed"));
        let broken = run("regex", vec![s("["), s("x")]).unwrap_err();
        assert_eq!(broken.argument, Some(0));
        assert!(
            broken.message.starts_with("invalid regexp pattern"),
            "{broken:?}"
        );
    }

    #[test]
    fn regexall_lists_every_match() {
        assert_eq!(
            ok("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")]),
            strings(&["abcd", "efgh"])
        );
        assert_eq!(
            ok("regexall", vec![s("(\\d)(\\w)"), s("1a2b")]),
            list(vec![strings(&["1", "a"]), strings(&["2", "b"])])
        );
        assert_eq!(
            ok("regexall", vec![s("(a)|(b)"), s("ab")]),
            list(vec![
                list(vec![s("a"), Value::Null]),
                list(vec![Value::Null, s("b")])
            ])
        );
        assert_eq!(ok("regexall", vec![s("z"), s("abc")]), list(vec![]));
    }

    #[test]
    fn replace_with_substrings_and_patterns() {
        assert_eq!(
            ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
            s("1 - 2 - 3")
        );
        assert_eq!(
            ok(
                "replace",
                vec![s("hello world"), s("/w.*d/"), s("everybody")]
            ),
            s("hello everybody")
        );
        assert_eq!(
            ok("replace", vec![s("hello world"), s("/(h)(e)/"), s("$2$1")]),
            s("ehllo world")
        );
        assert_eq!(
            ok("replace", vec![s("abc"), s("/(?P<x>b)/"), s("[$x]")]),
            s("a[b]c")
        );
        assert_eq!(ok("replace", vec![s("abc"), s("/b/"), s("$$")]), s("a$c"));
        assert_eq!(ok("replace", vec![s("aaa"), s("a"), s("")]), s(""));
        assert_eq!(ok("replace", vec![s("abc"), s(""), s("x")]), s("xaxbxcx"));
        assert_eq!(
            run("replace", vec![s("abc"), s("/(/"), s("x")])
                .unwrap_err()
                .argument,
            Some(1)
        );
    }

    #[test]
    fn small_string_functions() {
        assert_eq!(ok("chomp", vec![s("hello\r\n\n")]), s("hello"));
        assert_eq!(ok("chomp", vec![s("a\n\r")]), s("a"));
        assert_eq!(
            ok(
                "indent",
                vec![Value::Number(2.0), s("[\n  foo,\n  bar,\n]\n")]
            ),
            s("[\n    foo,\n    bar,\n  ]\n  ")
        );
        assert_eq!(ok("indent", vec![Value::Number(2.0), s("")]), s(""));
        assert_eq!(ok("strrev", vec![s("hello")]), s("olleh"));
        assert_eq!(ok("strrev", vec![s("a☃b")]), s("b☃a"));
        assert_eq!(ok("strrev", vec![s("👍🏽x")]), s("x👍🏽"));
        assert_eq!(
            ok("strcontains", vec![s("hello world"), s("wor")]),
            Value::Bool(true)
        );
        assert_eq!(
            ok("strcontains", vec![s("hello world"), s("cat")]),
            Value::Bool(false)
        );
        assert_eq!(ok("strcontains", vec![s("a"), s("")]), Value::Bool(true));
        assert_eq!(
            ok("urlencode", vec![s("Hello World!")]),
            s("Hello+World%21")
        );
        assert_eq!(ok("urlencode", vec![s("☃")]), s("%E2%98%83"));
        assert_eq!(
            ok("urlencode", vec![s("a-b_c.d~e/f?g=h&i")]),
            s("a-b_c.d~e%2Ff%3Fg%3Dh%26i")
        );
    }

    #[test]
    fn csvdecode_reads_a_header_and_records() {
        let row = |a: &str, b: &str, c: &str| map(&[("a", s(a)), ("b", s(b)), ("c", s(c))]);
        assert_eq!(
            ok("csvdecode", vec![s("a,b,c\n1,2,3\n4,5,6")]),
            list(vec![row("1", "2", "3"), row("4", "5", "6")])
        );
        assert_eq!(
            ok("csvdecode", vec![s("a,b\r\n\"x, y\",\"q\"\"\"\r\n")]),
            list(vec![map(&[("a", s("x, y")), ("b", s("q\""))])])
        );
        assert!(run("csvdecode", vec![s("")])
            .unwrap_err()
            .message
            .contains("missing header line"));
        assert!(run("csvdecode", vec![s("a,b\n1")])
            .unwrap_err()
            .message
            .contains("line 2: wrong number of fields"));
    }

    #[test]
    fn text_encodings() {
        let encode =
            |text: &str, encoding: &str| ok("textencodebase64", vec![s(text), s(encoding)]);
        assert_eq!(
            encode("Hello World", "UTF-16LE"),
            s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")
        );
        assert_eq!(encode("x", "UTF-16"), s("/v8AeA=="));
        assert_eq!(encode("x", "UTF-16BE"), s("AHg="));
        assert_eq!(encode("héllo", "ISO-8859-1"), s("aOlsbG8="));
        assert_eq!(encode("x", "latin1"), s("eA=="));
        assert_eq!(encode("€", "windows-1252"), s("gA=="));
        assert_eq!(encode("日本", "Shift_JIS"), s("k/qWew=="));
        let latin = run("textencodebase64", vec![s("€"), s("ISO-8859-1")]).unwrap_err();
        assert!(latin
            .message
            .contains("cannot be represented in ISO_8859-1:1987"));
        let unknown = run("textencodebase64", vec![s("x"), s("CP1252")]).unwrap_err();
        assert_eq!(unknown.argument, Some(1));
        assert!(unknown
            .message
            .contains("not a supported IANA encoding name"));
        assert_eq!(
            ok(
                "textdecodebase64",
                vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]
            ),
            s("Hello World")
        );
        assert_eq!(
            ok("textdecodebase64", vec![s("k/qWew=="), s("Shift_JIS")]),
            s("日本")
        );
        assert_eq!(
            ok("textdecodebase64", vec![s("/v8AeA=="), s("UTF-16")]),
            s("x")
        );
        let bad = run("textdecodebase64", vec![s("/w=="), s("UTF-8")]).unwrap_err();
        assert!(bad.message.contains("not defined for UTF-8"));
    }
}
