//! Terraform's built-in functions, every one of Terraform 1.11's list (provider-defined
//! functions aside): the registry (name, signature, arity, how unknown arguments are treated),
//! typed argument access, and the basic families here; the others by family in the
//! submodules. `try`, `can`, `issensitive`, `templatefile`, `templatestring`, `timestamp` and
//! `plantimestamp` need the evaluator (lazy arguments, sensitivity, the phase) and are handled
//! there; they are listed here so that arity checks and name suggestions know them.

mod collections;
mod crypto;
pub mod datetime;
mod numbers;
mod paths;
mod text;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use provision_core::value::format_number;
use provision_core::Value;

/// Why a function call failed. `argument` is the 0-based position of the offending argument
/// (the evaluator turns it into that argument's span); `None` blames the whole call.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionError {
    pub argument: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl FunctionError {
    fn call(message: impl Into<String>) -> FunctionError {
        FunctionError {
            argument: None,
            message: message.into(),
            hint: None,
        }
    }

    fn argument(argument: usize, message: impl Into<String>) -> FunctionError {
        FunctionError {
            argument: Some(argument),
            message: message.into(),
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> FunctionError {
        self.hint = Some(hint.into());
        self
    }
}

type FunctionResult = Result<Value, FunctionError>;

/// How a function treats unknown ("known after apply") arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unknowns {
    /// Any argument that is itself unknown makes the result unknown.
    Shallow,
    /// Any argument with an unknown anywhere inside makes the result unknown.
    Deep,
    /// The function looks at unknowns itself.
    Own,
}

/// One built-in function.
struct Function {
    name: &'static str,
    signature: &'static str,
    minimum_arguments: usize,
    /// `None`: variadic.
    maximum_arguments: Option<usize>,
    unknowns: Unknowns,
    body: fn(&Arguments) -> FunctionResult,
}

const fn function(
    name: &'static str,
    signature: &'static str,
    minimum_arguments: usize,
    maximum_arguments: Option<usize>,
    unknowns: Unknowns,
    body: fn(&Arguments) -> FunctionResult,
) -> Function {
    Function {
        name,
        signature,
        minimum_arguments,
        maximum_arguments,
        unknowns,
        body,
    }
}

use Unknowns::{Deep, Own, Shallow};

/// Every function, sorted by name (looked up by binary search).
static FUNCTIONS: &[Function] = &[
    function("abs", "abs(number)", 1, Some(1), Deep, abs),
    function("abspath", "abspath(path)", 1, Some(1), Deep, paths::abspath),
    function(
        "alltrue",
        "alltrue(list)",
        1,
        Some(1),
        Own,
        collections::alltrue,
    ),
    function(
        "anytrue",
        "anytrue(list)",
        1,
        Some(1),
        Own,
        collections::anytrue,
    ),
    function(
        "base64decode",
        "base64decode(string)",
        1,
        Some(1),
        Deep,
        base64decode,
    ),
    function(
        "base64encode",
        "base64encode(string)",
        1,
        Some(1),
        Deep,
        base64encode,
    ),
    function(
        "base64gzip",
        "base64gzip(string)",
        1,
        Some(1),
        Deep,
        crypto::base64gzip,
    ),
    function(
        "base64sha256",
        "base64sha256(string)",
        1,
        Some(1),
        Deep,
        base64sha256,
    ),
    function(
        "base64sha512",
        "base64sha512(string)",
        1,
        Some(1),
        Deep,
        crypto::base64sha512,
    ),
    function(
        "basename",
        "basename(path)",
        1,
        Some(1),
        Deep,
        paths::basename,
    ),
    function(
        "bcrypt",
        "bcrypt(string, cost)",
        1,
        Some(2),
        Deep,
        crypto::bcrypt,
    ),
    function("can", "can(expression)", 1, Some(1), Own, evaluator_only),
    function("ceil", "ceil(number)", 1, Some(1), Deep, ceil),
    function("chomp", "chomp(string)", 1, Some(1), Deep, text::chomp),
    function(
        "chunklist",
        "chunklist(list, size)",
        2,
        Some(2),
        Shallow,
        collections::chunklist,
    ),
    function(
        "cidrhost",
        "cidrhost(prefix, hostnum)",
        2,
        Some(2),
        Deep,
        cidrhost,
    ),
    function(
        "cidrnetmask",
        "cidrnetmask(prefix)",
        1,
        Some(1),
        Deep,
        cidrnetmask,
    ),
    function(
        "cidrsubnet",
        "cidrsubnet(prefix, newbits, netnum)",
        3,
        Some(3),
        Deep,
        cidrsubnet,
    ),
    function(
        "cidrsubnets",
        "cidrsubnets(prefix, newbits...)",
        1,
        None,
        Deep,
        cidrsubnets,
    ),
    function("coalesce", "coalesce(values...)", 1, None, Own, coalesce),
    function(
        "coalescelist",
        "coalescelist(lists...)",
        1,
        None,
        Own,
        coalescelist,
    ),
    function("compact", "compact(list)", 1, Some(1), Deep, compact),
    function("concat", "concat(lists...)", 0, None, Shallow, concat),
    function(
        "contains",
        "contains(list, value)",
        2,
        Some(2),
        Deep,
        contains,
    ),
    function(
        "csvdecode",
        "csvdecode(string)",
        1,
        Some(1),
        Deep,
        text::csvdecode,
    ),
    function("dirname", "dirname(path)", 1, Some(1), Deep, paths::dirname),
    function("distinct", "distinct(list)", 1, Some(1), Deep, distinct),
    function(
        "element",
        "element(list, index)",
        2,
        Some(2),
        Shallow,
        element,
    ),
    function(
        "endswith",
        "endswith(string, suffix)",
        2,
        Some(2),
        Deep,
        endswith,
    ),
    function(
        "ephemeralasnull",
        "ephemeralasnull(value)",
        1,
        Some(1),
        Own,
        identity,
    ),
    function("file", "file(path)", 1, Some(1), Deep, file),
    function(
        "filebase64",
        "filebase64(path)",
        1,
        Some(1),
        Deep,
        filebase64,
    ),
    function(
        "filebase64sha256",
        "filebase64sha256(path)",
        1,
        Some(1),
        Deep,
        filebase64sha256,
    ),
    function(
        "filebase64sha512",
        "filebase64sha512(path)",
        1,
        Some(1),
        Deep,
        crypto::filebase64sha512,
    ),
    function(
        "fileexists",
        "fileexists(path)",
        1,
        Some(1),
        Deep,
        fileexists,
    ),
    function("filemd5", "filemd5(path)", 1, Some(1), Deep, filemd5),
    function(
        "fileset",
        "fileset(path, pattern)",
        2,
        Some(2),
        Deep,
        paths::fileset,
    ),
    function(
        "filesha1",
        "filesha1(path)",
        1,
        Some(1),
        Deep,
        crypto::filesha1,
    ),
    function(
        "filesha256",
        "filesha256(path)",
        1,
        Some(1),
        Deep,
        filesha256,
    ),
    function(
        "filesha512",
        "filesha512(path)",
        1,
        Some(1),
        Deep,
        crypto::filesha512,
    ),
    function("flatten", "flatten(list)", 1, Some(1), Shallow, flatten),
    function("floor", "floor(number)", 1, Some(1), Deep, floor),
    function("format", "format(spec, values...)", 1, None, Deep, format),
    function(
        "formatdate",
        "formatdate(spec, timestamp)",
        2,
        Some(2),
        Deep,
        datetime::formatdate,
    ),
    function(
        "formatlist",
        "formatlist(spec, values...)",
        1,
        None,
        Deep,
        formatlist,
    ),
    function(
        "indent",
        "indent(spaces, string)",
        2,
        Some(2),
        Deep,
        text::indent,
    ),
    function("index", "index(list, value)", 2, Some(2), Deep, index),
    function(
        "issensitive",
        "issensitive(value)",
        1,
        Some(1),
        Own,
        evaluator_only,
    ),
    function("join", "join(separator, lists...)", 2, None, Deep, join),
    function(
        "jsondecode",
        "jsondecode(string)",
        1,
        Some(1),
        Deep,
        jsondecode,
    ),
    function(
        "jsonencode",
        "jsonencode(value)",
        1,
        Some(1),
        Deep,
        jsonencode,
    ),
    function("keys", "keys(map)", 1, Some(1), Shallow, keys),
    function("length", "length(value)", 1, Some(1), Shallow, length),
    function("log", "log(number, base)", 2, Some(2), Deep, numbers::log),
    function(
        "lookup",
        "lookup(map, key, default)",
        2,
        Some(3),
        Own,
        lookup,
    ),
    function("lower", "lower(string)", 1, Some(1), Deep, lower),
    function(
        "matchkeys",
        "matchkeys(values, keys, searchset)",
        3,
        Some(3),
        Deep,
        collections::matchkeys,
    ),
    function("max", "max(numbers...)", 1, None, Deep, max),
    function("md5", "md5(string)", 1, Some(1), Deep, md5),
    function("merge", "merge(maps...)", 0, None, Shallow, merge),
    function("min", "min(numbers...)", 1, None, Deep, min),
    function(
        "nonsensitive",
        "nonsensitive(value)",
        1,
        Some(1),
        Own,
        identity,
    ),
    function("one", "one(list)", 1, Some(1), Shallow, one),
    function(
        "parseint",
        "parseint(string, base)",
        2,
        Some(2),
        Deep,
        numbers::parseint,
    ),
    function(
        "pathexpand",
        "pathexpand(path)",
        1,
        Some(1),
        Deep,
        paths::pathexpand,
    ),
    function(
        "plantimestamp",
        "plantimestamp()",
        0,
        Some(0),
        Own,
        evaluator_only,
    ),
    function("pow", "pow(number, power)", 2, Some(2), Deep, numbers::pow),
    function(
        "range",
        "range(start, limit, step)",
        1,
        Some(3),
        Deep,
        range,
    ),
    function(
        "regex",
        "regex(pattern, string)",
        2,
        Some(2),
        Deep,
        text::regex,
    ),
    function(
        "regexall",
        "regexall(pattern, string)",
        2,
        Some(2),
        Deep,
        text::regexall,
    ),
    function(
        "replace",
        "replace(string, substring, replacement)",
        3,
        Some(3),
        Deep,
        text::replace,
    ),
    function("reverse", "reverse(list)", 1, Some(1), Shallow, reverse),
    function(
        "rsadecrypt",
        "rsadecrypt(ciphertext, privatekey)",
        2,
        Some(2),
        Deep,
        crypto::rsadecrypt,
    ),
    function("sensitive", "sensitive(value)", 1, Some(1), Own, identity),
    function(
        "setintersection",
        "setintersection(sets...)",
        1,
        None,
        Deep,
        collections::setintersection,
    ),
    function(
        "setproduct",
        "setproduct(sets...)",
        0,
        None,
        Deep,
        collections::setproduct,
    ),
    function(
        "setsubtract",
        "setsubtract(a, b)",
        2,
        Some(2),
        Deep,
        collections::setsubtract,
    ),
    function(
        "setunion",
        "setunion(sets...)",
        1,
        None,
        Deep,
        collections::setunion,
    ),
    function("sha1", "sha1(string)", 1, Some(1), Deep, crypto::sha1),
    function("sha256", "sha256(string)", 1, Some(1), Deep, sha256),
    function("sha512", "sha512(string)", 1, Some(1), Deep, crypto::sha512),
    function(
        "signum",
        "signum(number)",
        1,
        Some(1),
        Deep,
        numbers::signum,
    ),
    function(
        "slice",
        "slice(list, start, end)",
        3,
        Some(3),
        Shallow,
        slice,
    ),
    function("sort", "sort(list)", 1, Some(1), Deep, sort),
    function("split", "split(separator, string)", 2, Some(2), Deep, split),
    function(
        "startswith",
        "startswith(string, prefix)",
        2,
        Some(2),
        Deep,
        startswith,
    ),
    function(
        "strcontains",
        "strcontains(string, substr)",
        2,
        Some(2),
        Deep,
        text::strcontains,
    ),
    function("strrev", "strrev(string)", 1, Some(1), Deep, text::strrev),
    function(
        "substr",
        "substr(string, offset, length)",
        3,
        Some(3),
        Deep,
        substr,
    ),
    function("sum", "sum(list)", 1, Some(1), Deep, sum),
    function(
        "templatefile",
        "templatefile(path, vars)",
        2,
        Some(2),
        Own,
        evaluator_only,
    ),
    function(
        "templatestring",
        "templatestring(template, vars)",
        2,
        Some(2),
        Own,
        evaluator_only,
    ),
    function(
        "textdecodebase64",
        "textdecodebase64(source, encoding)",
        2,
        Some(2),
        Deep,
        text::textdecodebase64,
    ),
    function(
        "textencodebase64",
        "textencodebase64(string, encoding)",
        2,
        Some(2),
        Deep,
        text::textencodebase64,
    ),
    function(
        "timeadd",
        "timeadd(timestamp, duration)",
        2,
        Some(2),
        Deep,
        datetime::timeadd,
    ),
    function(
        "timecmp",
        "timecmp(timestamp_a, timestamp_b)",
        2,
        Some(2),
        Deep,
        datetime::timecmp,
    ),
    function("timestamp", "timestamp()", 0, Some(0), Own, evaluator_only),
    function("title", "title(string)", 1, Some(1), Deep, title),
    function("tobool", "tobool(value)", 1, Some(1), Deep, tobool),
    function("tolist", "tolist(value)", 1, Some(1), Shallow, tolist),
    function("tomap", "tomap(value)", 1, Some(1), Shallow, tomap),
    function("tonumber", "tonumber(value)", 1, Some(1), Deep, tonumber),
    function("toset", "toset(value)", 1, Some(1), Deep, toset),
    function("tostring", "tostring(value)", 1, Some(1), Deep, tostring),
    function(
        "transpose",
        "transpose(map)",
        1,
        Some(1),
        Deep,
        collections::transpose,
    ),
    function("trim", "trim(string, characters)", 2, Some(2), Deep, trim),
    function(
        "trimprefix",
        "trimprefix(string, prefix)",
        2,
        Some(2),
        Deep,
        trimprefix,
    ),
    function(
        "trimspace",
        "trimspace(string)",
        1,
        Some(1),
        Deep,
        trimspace,
    ),
    function(
        "trimsuffix",
        "trimsuffix(string, suffix)",
        2,
        Some(2),
        Deep,
        trimsuffix,
    ),
    function("try", "try(expressions...)", 1, None, Own, evaluator_only),
    function("upper", "upper(string)", 1, Some(1), Deep, upper),
    function(
        "urlencode",
        "urlencode(string)",
        1,
        Some(1),
        Deep,
        text::urlencode,
    ),
    function("uuid", "uuid()", 0, Some(0), Own, crypto::uuid),
    function(
        "uuidv5",
        "uuidv5(namespace, name)",
        2,
        Some(2),
        Deep,
        crypto::uuidv5,
    ),
    function("values", "values(map)", 1, Some(1), Shallow, values),
    function(
        "yamldecode",
        "yamldecode(string)",
        1,
        Some(1),
        Deep,
        yaml::yamldecode,
    ),
    function(
        "yamlencode",
        "yamlencode(value)",
        1,
        Some(1),
        Deep,
        yaml::yamlencode,
    ),
    function("zipmap", "zipmap(keys, values)", 2, Some(2), Own, zipmap),
];

fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS
        .binary_search_by(|candidate| candidate.name.cmp(name))
        .ok()
        .map(|position| &FUNCTIONS[position])
}

/// Every function name, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|function| function.name)
}

/// Whether `name` is a built-in function.
pub fn exists(name: &str) -> bool {
    find(name).is_some()
}

/// The call signature shown in hints (`join(separator, lists...)`).
pub fn signature(name: &str) -> Option<&'static str> {
    find(name).map(|function| function.signature)
}

/// Functions whose result is random or the current time: unknown while planning, known when
/// applying (as Terraform does), so that a plan does not change on every run.
const IMPURE: &[&str] = &["bcrypt", "timestamp", "uuid"];

/// Whether `name`'s result is only known at apply (see `IMPURE`).
pub fn is_impure(name: &str) -> bool {
    IMPURE.contains(&name)
}

/// Calls the built-in `name` with already evaluated arguments. `None` when there is no such
/// function. Unknown arguments give an unknown result unless the function can answer anyway.
pub fn call(name: &str, arguments: Vec<Value>) -> Option<FunctionResult> {
    let function = find(name)?;
    Some(call_function(function, arguments))
}

/// Checks a call to an impure function without computing it, for a plan, where its result is
/// unknown anyway (and a `bcrypt` of cost 31 would take hours).
pub fn check(name: &str, arguments: Vec<Value>) -> Option<Result<(), FunctionError>> {
    let function = find(name)?;
    Some(check_arity(function, arguments.len()).and_then(|()| {
        if arguments.iter().any(Value::contains_unknown) {
            return Ok(());
        }
        match name {
            "bcrypt" => crypto::bcrypt_arguments(&Arguments { values: arguments }).map(|_| ()),
            _ => Ok(()),
        }
    }))
}

fn check_arity(function: &Function, count: usize) -> Result<(), FunctionError> {
    let too_few = count < function.minimum_arguments;
    let too_many = function
        .maximum_arguments
        .is_some_and(|maximum| count > maximum);
    if too_few || too_many {
        let expected = match function.maximum_arguments {
            Some(maximum) if maximum == function.minimum_arguments => format!("{maximum}"),
            Some(maximum) => format!("{} to {maximum}", function.minimum_arguments),
            None => format!("at least {}", function.minimum_arguments),
        };
        return Err(FunctionError::call(format!(
            "wrong number of arguments: expected {expected}, got {count}"
        ))
        .with_hint(format!("usage: {}", function.signature)));
    }
    Ok(())
}

fn call_function(function: &Function, values: Vec<Value>) -> FunctionResult {
    check_arity(function, values.len())?;
    let unknown = match function.unknowns {
        Shallow => values.iter().any(|value| matches!(value, Value::Unknown)),
        Deep => values.iter().any(Value::contains_unknown),
        Own => false,
    };
    if unknown {
        return Ok(Value::Unknown);
    }
    (function.body)(&Arguments { values })
}

/// A function's evaluated arguments, with typed accessors that produce precise errors.
struct Arguments {
    values: Vec<Value>,
}

fn describe(value: &Value) -> &'static str {
    value.type_name()
}

impl Arguments {
    fn get(&self, position: usize) -> &Value {
        self.values.get(position).unwrap_or(&Value::Null)
    }

    fn len(&self) -> usize {
        self.values.len()
    }

    fn wrong_type(&self, position: usize, label: &str, expected: &str) -> FunctionError {
        FunctionError::argument(
            position,
            format!(
                "argument {} ({label}) must be {expected}, got {}",
                position + 1,
                describe(self.get(position))
            ),
        )
    }

    /// A string; numbers and bools convert like Terraform's automatic conversion.
    fn string(&self, position: usize, label: &str) -> Result<String, FunctionError> {
        self.get(position)
            .to_template_string()
            .ok_or_else(|| self.wrong_type(position, label, "a string"))
    }

    fn number(&self, position: usize, label: &str) -> Result<f64, FunctionError> {
        to_number(self.get(position)).ok_or_else(|| self.wrong_type(position, label, "a number"))
    }

    fn integer(&self, position: usize, label: &str) -> Result<i64, FunctionError> {
        let number = self.number(position, label)?;
        if number.fract() != 0.0 || !number.is_finite() {
            return Err(FunctionError::argument(
                position,
                format!(
                    "argument {} ({label}) must be a whole number, got {}",
                    position + 1,
                    format_number(number)
                ),
            ));
        }
        Ok(number as i64)
    }

    fn list(&self, position: usize, label: &str) -> Result<&[Value], FunctionError> {
        self.get(position)
            .as_list()
            .ok_or_else(|| self.wrong_type(position, label, "a list"))
    }

    fn map(&self, position: usize, label: &str) -> Result<&BTreeMap<String, Value>, FunctionError> {
        self.get(position)
            .as_map()
            .ok_or_else(|| self.wrong_type(position, label, "a map"))
    }
}

/// A number, or a string holding a decimal number (Terraform converts `"1"` to `1`).
pub fn to_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => Some(*number),
        Value::String(text) => parse_number(text),
        _ => None,
    }
}

/// Parses a decimal number strictly: no `inf`, `NaN`, spaces or empty text.
pub fn parse_number(text: &str) -> Option<f64> {
    let plausible = !text.is_empty()
        && text
            .chars()
            .all(|character| character.is_ascii_digit() || "+-.eE".contains(character))
        && text.chars().any(|character| character.is_ascii_digit());
    if !plausible {
        return None;
    }
    text.parse::<f64>().ok().filter(|number| number.is_finite())
}

/// Equality as `==` sees it: same type and value.
pub fn values_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => left == right,
        _ => left == right,
    }
}

fn evaluator_only(_arguments: &Arguments) -> FunctionResult {
    Err(FunctionError::call(
        "this function is handled by the evaluator",
    ))
}

fn identity(arguments: &Arguments) -> FunctionResult {
    Ok(arguments.get(0).clone())
}

// ---- numbers ----

fn abs(arguments: &Arguments) -> FunctionResult {
    Ok(Value::Number(arguments.number(0, "number")?.abs()))
}

fn ceil(arguments: &Arguments) -> FunctionResult {
    Ok(Value::Number(arguments.number(0, "number")?.ceil()))
}

fn floor(arguments: &Arguments) -> FunctionResult {
    Ok(Value::Number(arguments.number(0, "number")?.floor()))
}

fn numbers(arguments: &Arguments) -> Result<Vec<f64>, FunctionError> {
    (0..arguments.len())
        .map(|position| arguments.number(position, "number"))
        .collect()
}

fn max(arguments: &Arguments) -> FunctionResult {
    let all = numbers(arguments)?;
    Ok(Value::Number(all.into_iter().fold(f64::MIN, f64::max)))
}

fn min(arguments: &Arguments) -> FunctionResult {
    let all = numbers(arguments)?;
    Ok(Value::Number(all.into_iter().fold(f64::MAX, f64::min)))
}

fn sum(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    if items.is_empty() {
        return Err(FunctionError::argument(0, "cannot sum an empty list"));
    }
    let mut total = 0.0;
    for (position, item) in items.iter().enumerate() {
        total += to_number(item).ok_or_else(|| {
            FunctionError::argument(
                0,
                format!(
                    "element {position} must be a number, got {}",
                    describe(item)
                ),
            )
        })?;
    }
    Ok(Value::Number(total))
}

/// The most elements `range` produces, like Terraform.
const RANGE_LIMIT: usize = 1024;

fn range(arguments: &Arguments) -> FunctionResult {
    let (start, limit, step) = match arguments.len() {
        1 => (0.0, arguments.number(0, "limit")?, None),
        2 => (
            arguments.number(0, "start")?,
            arguments.number(1, "limit")?,
            None,
        ),
        _ => (
            arguments.number(0, "start")?,
            arguments.number(1, "limit")?,
            Some(arguments.number(2, "step")?),
        ),
    };
    let step = step.unwrap_or(if start <= limit { 1.0 } else { -1.0 });
    if step == 0.0 {
        return Err(FunctionError::argument(2, "step must not be zero"));
    }
    let mut items = Vec::new();
    let mut current = start;
    while (step > 0.0 && current < limit) || (step < 0.0 && current > limit) {
        if items.len() >= RANGE_LIMIT {
            return Err(FunctionError::call(format!(
                "more than {RANGE_LIMIT} elements in the range"
            )));
        }
        items.push(Value::Number(current));
        current += step;
    }
    Ok(Value::List(items))
}

// ---- strings ----

fn upper(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(arguments.string(0, "string")?.to_uppercase()))
}

fn lower(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(arguments.string(0, "string")?.to_lowercase()))
}

/// Upper-cases the first letter of each word, where words are separated like Go's
/// `strings.Title` (anything but letters, digits and `_`).
fn title(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let mut output = String::with_capacity(text.len());
    let mut previous_is_separator = true;
    for character in text.chars() {
        if previous_is_separator {
            output.extend(character.to_uppercase());
        } else {
            output.push(character);
        }
        previous_is_separator = !(character.is_alphanumeric() || character == '_');
    }
    Ok(Value::String(output))
}

fn split(arguments: &Arguments) -> FunctionResult {
    let separator = arguments.string(0, "separator")?;
    let text = arguments.string(1, "string")?;
    let parts: Vec<Value> = if separator.is_empty() {
        text.chars()
            .map(|character| Value::String(character.to_string()))
            .collect()
    } else {
        text.split(separator.as_str()).map(Value::from).collect()
    };
    Ok(Value::List(parts))
}

fn join(arguments: &Arguments) -> FunctionResult {
    let separator = arguments.string(0, "separator")?;
    let mut output = String::new();
    let mut first = true;
    for position in 1..arguments.len() {
        for item in arguments.list(position, "list")? {
            let text = item.to_template_string().ok_or_else(|| {
                FunctionError::argument(
                    position,
                    format!(
                        "cannot join a {} element: elements must be strings",
                        describe(item)
                    ),
                )
            })?;
            if !first {
                output.push_str(&separator);
            }
            output.push_str(&text);
            first = false;
        }
    }
    Ok(Value::String(output))
}

fn trimspace(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(
        arguments.string(0, "string")?.trim().to_string(),
    ))
}

fn trim(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let characters = arguments.string(1, "characters")?;
    Ok(Value::String(
        text.trim_matches(|character| characters.contains(character))
            .to_string(),
    ))
}

fn trimprefix(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let prefix = arguments.string(1, "prefix")?;
    Ok(Value::String(
        text.strip_prefix(prefix.as_str())
            .unwrap_or(&text)
            .to_string(),
    ))
}

fn trimsuffix(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let suffix = arguments.string(1, "suffix")?;
    Ok(Value::String(
        text.strip_suffix(suffix.as_str())
            .unwrap_or(&text)
            .to_string(),
    ))
}

fn startswith(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::Bool(
        text.starts_with(&arguments.string(1, "prefix")?),
    ))
}

fn endswith(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::Bool(text.ends_with(&arguments.string(1, "suffix")?)))
}

/// `substr(string, offset, length)`: in characters; a negative offset counts from the end,
/// length -1 takes the rest.
fn substr(arguments: &Arguments) -> FunctionResult {
    use unicode_segmentation::UnicodeSegmentation;
    let text = arguments.string(0, "string")?;
    let characters: Vec<&str> = text.graphemes(true).collect();
    let offset = arguments.integer(1, "offset")?;
    let length = arguments.integer(2, "length")?;
    let total = characters.len() as i64;
    let start = if offset < 0 {
        (total + offset).max(0)
    } else {
        offset.min(total)
    };
    let end = if length < 0 {
        total
    } else {
        start.saturating_add(length).min(total)
    };
    Ok(Value::String(
        characters[start as usize..end as usize].concat(),
    ))
}

fn format(arguments: &Arguments) -> FunctionResult {
    let spec = arguments.string(0, "spec")?;
    let values: Vec<&Value> = arguments.values[1..].iter().collect();
    render_format(&spec, &values).map(Value::String)
}

fn formatlist(arguments: &Arguments) -> FunctionResult {
    let spec = arguments.string(0, "spec")?;
    let mut length: Option<usize> = None;
    for position in 1..arguments.len() {
        if let Value::List(items) = arguments.get(position) {
            match length {
                Some(expected) if expected != items.len() => {
                    return Err(FunctionError::argument(
                        position,
                        format!(
                            "all list arguments must have the same length: argument {} has {} elements, an earlier one {expected}",
                            position + 1,
                            items.len()
                        ),
                    ));
                }
                _ => length = Some(items.len()),
            }
        }
    }
    let Some(length) = length else {
        return Err(
            FunctionError::call("at least one argument after the spec must be a list")
                .with_hint("use format() to format single values"),
        );
    };
    let mut results = Vec::with_capacity(length);
    for row in 0..length {
        let values: Vec<&Value> = arguments.values[1..]
            .iter()
            .map(|value| match value {
                Value::List(items) => &items[row],
                other => other,
            })
            .collect();
        results.push(Value::String(render_format(&spec, &values)?));
    }
    Ok(Value::List(results))
}

/// One `%` verb's flags, width and precision.
#[derive(Default)]
struct Verb {
    left_align: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Go-style `fmt` formatting as Terraform's `format` does it.
fn render_format(spec: &str, values: &[&Value]) -> Result<String, FunctionError> {
    let mut output = String::with_capacity(spec.len());
    let mut characters = spec.chars().peekable();
    let mut next_argument = 0usize;
    let mut used = vec![false; values.len()];
    while let Some(character) = characters.next() {
        if character != '%' {
            output.push(character);
            continue;
        }
        if characters.peek() == Some(&'%') {
            characters.next();
            output.push('%');
            continue;
        }
        let mut verb = Verb::default();
        while let Some(&flag) = characters.peek() {
            match flag {
                '-' => verb.left_align = true,
                '+' => verb.plus = true,
                ' ' => verb.space = true,
                '0' => verb.zero = true,
                '#' => verb.sharp = true,
                _ => break,
            }
            characters.next();
        }
        if characters.peek() == Some(&'[') {
            characters.next();
            let mut digits = String::new();
            for character in characters.by_ref() {
                if character == ']' {
                    break;
                }
                digits.push(character);
            }
            let position: usize =
                digits
                    .parse()
                    .ok()
                    .filter(|&index| index >= 1)
                    .ok_or_else(|| {
                        FunctionError::argument(0, format!("invalid argument index [{digits}]"))
                    })?;
            next_argument = position - 1;
        }
        verb.width = read_digits(&mut characters);
        if characters.peek() == Some(&'.') {
            characters.next();
            verb.precision = Some(read_digits(&mut characters).unwrap_or(0));
        }
        let Some(letter) = characters.next() else {
            return Err(FunctionError::argument(
                0,
                "format spec ends with an incomplete verb",
            ));
        };
        let value = values.get(next_argument).ok_or_else(|| {
            FunctionError::call(format!(
                "not enough arguments for the format spec: %{letter} needs argument {}",
                next_argument + 2
            ))
        })?;
        used[next_argument] = true;
        let argument_position = next_argument + 1;
        next_argument += 1;
        let formatted = format_verb(letter, &verb, value, argument_position)?;
        pad(&mut output, &formatted, &verb, letter);
    }
    if let Some(unused) = used.iter().position(|was_used| !was_used) {
        return Err(FunctionError::argument(
            unused + 1,
            format!(
                "too many arguments: the format spec uses {} of {}",
                used.iter().filter(|was_used| **was_used).count(),
                values.len()
            ),
        ));
    }
    Ok(output)
}

fn read_digits(characters: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut number: Option<usize> = None;
    while let Some(digit) = characters
        .peek()
        .and_then(|character| character.to_digit(10))
    {
        characters.next();
        number = Some(
            number
                .unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(digit as usize)
                .min(4096),
        );
    }
    number
}

fn pad(output: &mut String, formatted: &str, verb: &Verb, letter: char) {
    let length = formatted.chars().count();
    let width = verb.width.unwrap_or(0);
    if length >= width {
        output.push_str(formatted);
        return;
    }
    let fill = width - length;
    let numeric = matches!(letter, 'd' | 'f' | 'F' | 'x' | 'X' | 'o' | 'b');
    if verb.left_align {
        output.push_str(formatted);
        output.extend(std::iter::repeat_n(' ', fill));
    } else if verb.zero && numeric {
        let (sign, digits) = match formatted.chars().next() {
            Some(sign @ ('-' | '+' | ' ')) => (Some(sign), &formatted[1..]),
            _ => (None, formatted),
        };
        output.extend(sign);
        output.extend(std::iter::repeat_n('0', fill));
        output.push_str(digits);
    } else {
        output.extend(std::iter::repeat_n(' ', fill));
        output.push_str(formatted);
    }
}

fn format_verb(
    letter: char,
    verb: &Verb,
    value: &Value,
    position: usize,
) -> Result<String, FunctionError> {
    let wrong = |expected: &str| {
        FunctionError::argument(
            position,
            format!(
                "%{letter} needs {expected}, but argument {} is {}",
                position + 1,
                describe(value)
            ),
        )
    };
    let signed = |text: String, negative: bool| {
        if negative {
            text
        } else if verb.plus {
            format!("+{text}")
        } else if verb.space {
            format!(" {text}")
        } else {
            text
        }
    };
    match letter {
        'v' => Ok(match value {
            Value::List(_) | Value::Map(_) => json_text(value),
            Value::Null => "null".to_string(),
            _ if verb.sharp => json_text(value),
            other => other.to_template_string().unwrap_or_default(),
        }),
        's' => {
            let text = value
                .to_template_string()
                .ok_or_else(|| wrong("a string"))?;
            Ok(match verb.precision {
                Some(limit) => text.chars().take(limit).collect(),
                None => text,
            })
        }
        'q' => {
            let text = value
                .to_template_string()
                .ok_or_else(|| wrong("a string"))?;
            Ok(json_text(&Value::String(text)))
        }
        't' => value
            .as_bool()
            .map(|flag| flag.to_string())
            .ok_or_else(|| wrong("a bool")),
        'd' | 'x' | 'X' | 'o' | 'b' => {
            let number = to_number(value).ok_or_else(|| wrong("a number"))?;
            if number.fract() != 0.0 {
                return Err(wrong("a whole number"));
            }
            let magnitude = number.abs() as u64;
            let digits = match letter {
                'd' => magnitude.to_string(),
                'x' => format!("{magnitude:x}"),
                'X' => format!("{magnitude:X}"),
                'o' => format!("{magnitude:o}"),
                _ => format!("{magnitude:b}"),
            };
            let negative = number < 0.0;
            Ok(signed(
                if negative {
                    format!("-{digits}")
                } else {
                    digits
                },
                negative,
            ))
        }
        'f' | 'F' => {
            let number = to_number(value).ok_or_else(|| wrong("a number"))?;
            let precision = verb.precision.unwrap_or(6).min(64);
            Ok(signed(format!("{number:.precision$}"), number < 0.0))
        }
        other => Err(
            FunctionError::argument(0, format!("unsupported format verb %{other}"))
                .with_hint("supported verbs: %s %d %f %q %v %t %x %o %b %%"),
        ),
    }
}

// ---- collections ----

fn length(arguments: &Arguments) -> FunctionResult {
    let count = match arguments.get(0) {
        Value::String(text) => {
            use unicode_segmentation::UnicodeSegmentation;
            text.graphemes(true).count()
        }
        Value::Null => return Err(FunctionError::argument(0, "argument must not be null")),
        Value::List(items) => items.len(),
        Value::Map(entries) => entries.len(),
        _ => {
            return Err(arguments.wrong_type(0, "value", "a string, list or map"));
        }
    };
    Ok(Value::Number(count as f64))
}

fn concat(arguments: &Arguments) -> FunctionResult {
    let mut items = Vec::new();
    for position in 0..arguments.len() {
        items.extend_from_slice(arguments.list(position, "list")?);
    }
    Ok(Value::List(items))
}

fn merge(arguments: &Arguments) -> FunctionResult {
    let mut merged = BTreeMap::new();
    for position in 0..arguments.len() {
        match arguments.get(position) {
            Value::Null => {}
            Value::Map(entries) => {
                merged.extend(
                    entries
                        .iter()
                        .map(|(key, value)| (key.clone(), value.clone())),
                );
            }
            _ => return Err(arguments.wrong_type(position, "map", "a map")),
        }
    }
    Ok(Value::Map(merged))
}

fn lookup(arguments: &Arguments) -> FunctionResult {
    if matches!(arguments.get(0), Value::Unknown) || matches!(arguments.get(1), Value::Unknown) {
        return Ok(Value::Unknown);
    }
    let entries = arguments.map(0, "map")?;
    let key = arguments.string(1, "key")?;
    match entries.get(&key) {
        Some(value) => Ok(value.clone()),
        None if arguments.len() == 3 => Ok(arguments.get(2).clone()),
        None => {
            let error = FunctionError::argument(1, format!("key \"{key}\" is not in the map"));
            Err(
                match super::closest(&key, entries.keys().map(String::as_str)) {
                    Some(close) => error.with_hint(format!("did you mean \"{close}\"?")),
                    None => error.with_hint("pass a default as the third argument"),
                },
            )
        }
    }
}

fn element(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let position = arguments.integer(1, "index")?;
    if items.is_empty() {
        return Err(FunctionError::argument(
            0,
            "cannot take an element of an empty list",
        ));
    }
    if position < 0 {
        return Err(FunctionError::argument(1, "index must not be negative"));
    }
    Ok(items[(position as usize) % items.len()].clone())
}

fn keys(arguments: &Arguments) -> FunctionResult {
    let entries = arguments.map(0, "map")?;
    Ok(Value::List(
        entries
            .keys()
            .map(|key| Value::String(key.clone()))
            .collect(),
    ))
}

fn values(arguments: &Arguments) -> FunctionResult {
    let entries = arguments.map(0, "map")?;
    Ok(Value::List(entries.values().cloned().collect()))
}

fn tolist(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(unify(items))),
        _ => Err(arguments.wrong_type(0, "value", "a list or set")),
    }
}

/// Terraform's element type unification for `tolist`, `toset` and `tomap`: primitives of
/// mixed types all become strings (`["a", 1, true]` → `["a", "1", "true"]`).
fn unify(items: &[Value]) -> Vec<Value> {
    let primitive =
        |item: &Value| matches!(item, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let mixed = items
        .iter()
        .all(|item| primitive(item) || item.is_null() || matches!(item, Value::Unknown))
        && items.iter().any(|item| matches!(item, Value::String(_)))
        && items
            .iter()
            .any(|item| matches!(item, Value::Number(_) | Value::Bool(_)));
    if !mixed {
        return items.to_vec();
    }
    items
        .iter()
        .map(|item| match item.to_template_string() {
            Some(text) => Value::String(text),
            None => item.clone(),
        })
        .collect()
}

fn tomap(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        Value::Map(entries) => {
            let values: Vec<Value> = entries.values().cloned().collect();
            Ok(Value::Map(
                entries.keys().cloned().zip(unify(&values)).collect(),
            ))
        }
        _ => Err(arguments.wrong_type(0, "value", "a map or object")),
    }
}

/// Deduplicates like a Terraform set: strings (and mixed strings and numbers, converted to
/// strings) sorted lexically, numbers numerically, anything else in first-seen order.
pub fn set_of(items: &[Value]) -> Vec<Value> {
    let all_numbers = items.iter().all(|item| matches!(item, Value::Number(_)));
    let all_primitive = items
        .iter()
        .all(|item| matches!(item, Value::String(_) | Value::Number(_) | Value::Bool(_)));
    if all_numbers {
        let mut numbers: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
        numbers.sort_by(f64::total_cmp);
        numbers.dedup();
        return numbers.into_iter().map(Value::Number).collect();
    }
    if all_primitive {
        let strings: BTreeSet<String> =
            items.iter().filter_map(Value::to_template_string).collect();
        return strings.into_iter().map(Value::String).collect();
    }
    let mut distinct_items: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !distinct_items.iter().any(|seen| values_equal(seen, item)) {
            distinct_items.push(item.clone());
        }
    }
    distinct_items
}

fn toset(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(set_of(items))),
        _ => Err(arguments.wrong_type(0, "value", "a list or set")),
    }
}

fn tostring(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        value => value
            .to_template_string()
            .map(Value::String)
            .ok_or_else(|| arguments.wrong_type(0, "value", "a string, number or bool")),
    }
}

fn tonumber(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        value => to_number(value).map(Value::Number).ok_or_else(|| {
            FunctionError::argument(
                0,
                match value {
                    Value::String(text) => format!("cannot convert \"{text}\" to a number"),
                    other => format!("cannot convert a {} to a number", describe(other)),
                },
            )
        }),
    }
}

fn tobool(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        value => value.as_bool().map(Value::Bool).ok_or_else(|| {
            FunctionError::argument(
                0,
                match value {
                    Value::String(text) => format!("cannot convert \"{text}\" to a bool"),
                    other => format!("cannot convert a {} to a bool", describe(other)),
                },
            )
            .with_hint("only true, false, \"true\" and \"false\" convert to a bool")
        }),
    }
}

fn coalesce(arguments: &Arguments) -> FunctionResult {
    for value in &arguments.values {
        match value {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(text) if text.is_empty() => {}
            usable => return Ok(usable.clone()),
        }
    }
    Err(FunctionError::call(
        "no non-null, non-empty-string arguments",
    ))
}

fn coalescelist(arguments: &Arguments) -> FunctionResult {
    for position in 0..arguments.len() {
        match arguments.get(position) {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::List(items) if items.is_empty() => {}
            list @ Value::List(_) => return Ok(list.clone()),
            _ => return Err(arguments.wrong_type(position, "list", "a list")),
        }
    }
    Err(FunctionError::call("no non-empty list arguments"))
}

fn compact(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    Ok(Value::List(
        items
            .iter()
            .filter(|item| match item {
                Value::Null => false,
                Value::String(text) => !text.is_empty(),
                _ => true,
            })
            .cloned()
            .collect(),
    ))
}

fn contains(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let wanted = arguments.get(1);
    Ok(Value::Bool(
        items.iter().any(|item| values_equal(item, wanted)),
    ))
}

fn index(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let wanted = arguments.get(1);
    items
        .iter()
        .position(|item| values_equal(item, wanted))
        .map(|position| Value::Number(position as f64))
        .ok_or_else(|| FunctionError::argument(1, format!("{wanted} is not in the list")))
}

fn distinct(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let mut kept: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !kept.iter().any(|seen| values_equal(seen, item)) {
            kept.push(item.clone());
        }
    }
    Ok(Value::List(kept))
}

fn flatten_into(items: &[Value], output: &mut Vec<Value>) -> bool {
    for item in items {
        match item {
            Value::List(inner) => {
                if !flatten_into(inner, output) {
                    return false;
                }
            }
            Value::Unknown => return false,
            other => output.push(other.clone()),
        }
    }
    true
}

fn flatten(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let mut output = Vec::with_capacity(items.len());
    if !flatten_into(items, &mut output) {
        return Ok(Value::Unknown);
    }
    Ok(Value::List(output))
}

fn one(arguments: &Arguments) -> FunctionResult {
    match arguments.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => match items.as_slice() {
            [] => Ok(Value::Null),
            [only] => Ok(only.clone()),
            more => Err(FunctionError::argument(
                0,
                format!("must have zero or one elements, has {}", more.len()),
            )),
        },
        _ => Err(arguments.wrong_type(0, "list", "a list")),
    }
}

fn reverse(arguments: &Arguments) -> FunctionResult {
    let mut items = arguments.list(0, "list")?.to_vec();
    items.reverse();
    Ok(Value::List(items))
}

fn slice(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let start = arguments.integer(1, "start")?;
    let end = arguments.integer(2, "end")?;
    if start < 0 || start as usize > items.len() {
        return Err(FunctionError::argument(
            1,
            format!(
                "start {start} is out of range for a list of {} elements",
                items.len()
            ),
        ));
    }
    if end < start || end as usize > items.len() {
        return Err(FunctionError::argument(
            2,
            format!(
                "end {end} is out of range (start {start}, list of {} elements)",
                items.len()
            ),
        ));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

fn sort(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        strings.push(item.to_template_string().ok_or_else(|| {
            FunctionError::argument(
                0,
                format!("elements must be strings, found a {}", describe(item)),
            )
        })?);
    }
    strings.sort();
    Ok(Value::List(
        strings.into_iter().map(Value::String).collect(),
    ))
}

fn zipmap(arguments: &Arguments) -> FunctionResult {
    if arguments.get(0).contains_unknown() || matches!(arguments.get(1), Value::Unknown) {
        return Ok(Value::Unknown);
    }
    let names = arguments.list(0, "keys")?;
    let items = arguments.list(1, "values")?;
    if names.len() != items.len() {
        return Err(FunctionError::call(format!(
            "keys and values must have the same length: {} keys, {} values",
            names.len(),
            items.len()
        )));
    }
    let mut entries = BTreeMap::new();
    for (name, item) in names.iter().zip(items) {
        let key = name.to_template_string().ok_or_else(|| {
            FunctionError::argument(
                0,
                format!("keys must be strings, found a {}", describe(name)),
            )
        })?;
        entries.insert(key, item.clone());
    }
    Ok(Value::Map(entries))
}

// ---- encoding ----

/// JSON as Terraform writes it: compact, keys sorted, `<`, `>`, `&`, U+2028 and U+2029
/// escaped, numbers in full decimal form (`1e20` is `100000000000000000000`).
fn json_text(value: &Value) -> String {
    let mut output = String::new();
    write_json(value, &mut output);
    output
}

fn write_json(value: &Value, output: &mut String) {
    match value {
        Value::Null | Value::Unknown => output.push_str("null"),
        Value::Bool(flag) => output.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => output.push_str(&format_go_number(*number)),
        Value::String(text) => {
            let quoted = serde_json::to_string(text).unwrap_or_default();
            for character in quoted.chars() {
                match character {
                    '<' => output.push_str("\\u003c"),
                    '>' => output.push_str("\\u003e"),
                    '&' => output.push_str("\\u0026"),
                    '\u{2028}' => output.push_str("\\u2028"),
                    '\u{2029}' => output.push_str("\\u2029"),
                    other => output.push(other),
                }
            }
        }
        Value::List(items) => {
            output.push('[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    output.push(',');
                }
                write_json(item, output);
            }
            output.push(']');
        }
        Value::Map(entries) => {
            output.push('{');
            for (position, (key, item)) in entries.iter().enumerate() {
                if position > 0 {
                    output.push(',');
                }
                write_json(&Value::String(key.clone()), output);
                output.push(':');
                write_json(item, output);
            }
            output.push('}');
        }
    }
}

/// A number the way Terraform writes it in JSON and YAML (Go's `big.Float.Text('f', -1)`):
/// the shortest decimal that reads back the same, never in exponent form.
pub(crate) fn format_go_number(number: f64) -> String {
    if number.is_infinite() {
        return if number > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if number == 0.0 {
        return "0".to_string();
    }
    format!("{number}")
}

/// Compact JSON, keys sorted, `<`, `>` and `&` escaped as Terraform does.
fn jsonencode(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(json_text(arguments.get(0))))
}

fn jsondecode(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| FunctionError::argument(0, format!("invalid JSON: {error}")))?;
    Ok(Value::from_json(&json))
}

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64encode(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::String(base64_of(text.as_bytes())))
}

/// Standard base64 (with `=` padding) of `bytes`.
fn base64_of(bytes: &[u8]) -> String {
    let mut output = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for position in 0..4 {
            if position <= chunk.len() {
                let index = (group >> (18 - 6 * position)) & 0x3f;
                output.push(BASE64_ALPHABET[index as usize] as char);
            } else {
                output.push('=');
            }
        }
    }
    output
}

// File functions. As in Terraform, a relative path is relative to the working directory, not
// to the spec: specs write `"${path.module}/lambda.zip"` (`path.module` is the spec folder as
// given on the command line). These are the evaluator's only reads of the file system.

/// The bytes of the file named by argument 0, or an error naming the path.
fn file_bytes(arguments: &Arguments) -> Result<Vec<u8>, FunctionError> {
    let path = arguments.string(0, "path")?;
    std::fs::read(&path).map_err(|error| {
        let hint = if std::path::Path::new(&path).is_relative() {
            "relative paths are relative to the working directory; write \"${path.module}/...\" for a file in the spec folder"
        } else {
            "check the path"
        };
        FunctionError::argument(0, format!("cannot read {path}: {error}")).with_hint(hint)
    })
}

fn file(arguments: &Arguments) -> FunctionResult {
    let bytes = file_bytes(arguments)?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        FunctionError::argument(0, "the file is not valid UTF-8")
            .with_hint("use filebase64(path) for binary files")
    })
}

fn fileexists(arguments: &Arguments) -> FunctionResult {
    let path = arguments.string(0, "path")?;
    Ok(Value::Bool(std::path::Path::new(&path).is_file()))
}

fn filebase64(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(base64_of(&file_bytes(arguments)?)))
}

fn sha256_bytes(bytes: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).to_vec()
}

fn md5_bytes(bytes: &[u8]) -> Vec<u8> {
    use ::md5::{Digest, Md5};
    Md5::digest(bytes).to_vec()
}

/// What Lambda's `source_code_hash` / `CodeSha256` holds: base64 of the SHA-256 digest.
fn filebase64sha256(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(base64_of(&sha256_bytes(&file_bytes(
        arguments,
    )?))))
}

fn filesha256(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(hex::encode(sha256_bytes(&file_bytes(
        arguments,
    )?))))
}

fn filemd5(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(hex::encode(md5_bytes(&file_bytes(
        arguments,
    )?))))
}

fn sha256(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::String(hex::encode(sha256_bytes(text.as_bytes()))))
}

fn base64sha256(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::String(base64_of(&sha256_bytes(text.as_bytes()))))
}

fn md5(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    Ok(Value::String(hex::encode(md5_bytes(text.as_bytes()))))
}

fn base64decode(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let bytes =
        base64_decode_bytes(&text).map_err(|message| FunctionError::argument(0, message))?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        FunctionError::argument(
            0,
            "the result of decoding the provided string is not valid UTF-8",
        )
    })
}

/// Decodes standard base64 (with `=` padding).
// `usize::is_multiple_of` is Rust 1.87; the workspace's rust-version is 1.82.
#[allow(clippy::manual_is_multiple_of)]
fn base64_decode_bytes(text: &str) -> Result<Vec<u8>, String> {
    let invalid = |detail: &str| format!("invalid base64: {detail}");
    let trimmed = text.trim_end_matches('=');
    if text.len() % 4 != 0 || text.len() - trimmed.len() > 2 {
        return Err(invalid(
            "the length must be a multiple of 4 with at most two `=`",
        ));
    }
    let mut bytes = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for character in trimmed.bytes() {
        let sextet = BASE64_ALPHABET
            .iter()
            .position(|&letter| letter == character)
            .ok_or_else(|| invalid(&format!("unexpected character {:?}", character as char)))?;
        buffer = (buffer << 6) | sextet as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(bytes)
}

// ---- networks ----

/// A parsed CIDR prefix: address bits, total bits (32 or 128) and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    pub address: u128,
    pub total_bits: u32,
    pub length: u32,
}

impl Prefix {
    /// Parses `10.0.0.0/16` or `fd00::/8`.
    pub fn parse(text: &str) -> Result<Prefix, String> {
        let Some((address, length)) = text.split_once('/') else {
            return Err(format!(
                "\"{text}\" is not a CIDR prefix (expected ADDRESS/LENGTH)"
            ));
        };
        let (address, total_bits) = if let Ok(v4) = address.parse::<Ipv4Addr>() {
            (u128::from(u32::from(v4)), 32)
        } else if let Ok(v6) = address.parse::<Ipv6Addr>() {
            (u128::from(v6), 128)
        } else {
            return Err(format!(
                "\"{address}\" is not an IP address in prefix \"{text}\""
            ));
        };
        let length: u32 = length
            .parse()
            .ok()
            .filter(|length| *length <= total_bits)
            .ok_or_else(|| {
                format!("prefix length \"{length}\" in \"{text}\" must be a number from 0 to {total_bits}")
            })?;
        Ok(Prefix {
            address,
            total_bits,
            length,
        })
    }

    fn all_ones(&self) -> u128 {
        if self.total_bits == 128 {
            u128::MAX
        } else {
            (1u128 << self.total_bits) - 1
        }
    }

    /// The network mask as address bits.
    pub fn mask(&self) -> u128 {
        if self.length == 0 {
            0
        } else {
            (u128::MAX << (128 - self.length)) >> (128 - self.total_bits) & self.all_ones()
        }
    }

    pub fn network(&self) -> u128 {
        self.address & self.mask()
    }

    pub fn render_address(&self, address: u128) -> String {
        if self.total_bits == 32 {
            Ipv4Addr::from(address as u32).to_string()
        } else {
            Ipv6Addr::from(address).to_string()
        }
    }

    fn family(&self) -> &'static str {
        if self.total_bits == 32 {
            "IPv4"
        } else {
            "IPv6"
        }
    }
}

/// The largest number that fits in `bits` bits.
fn largest_in_bits(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

fn prefix_argument(arguments: &Arguments) -> Result<Prefix, FunctionError> {
    let text = arguments.string(0, "prefix")?;
    Prefix::parse(&text).map_err(|message| FunctionError::argument(0, message))
}

fn cidrsubnet(arguments: &Arguments) -> FunctionResult {
    let prefix = prefix_argument(arguments)?;
    let newbits = arguments.integer(1, "newbits")?;
    let netnum = arguments.integer(2, "netnum")?;
    if newbits < 0 {
        return Err(FunctionError::argument(1, "newbits must not be negative"));
    }
    let new_length = u64::from(prefix.length) + newbits as u64;
    if new_length > u64::from(prefix.total_bits) {
        return Err(FunctionError::argument(
            1,
            format!(
                "cannot extend prefix /{} by {newbits} bits: an {} prefix is at most /{}",
                prefix.length,
                prefix.family(),
                prefix.total_bits
            ),
        ));
    }
    let largest = largest_in_bits(newbits as u32);
    if netnum < 0 || netnum as u128 > largest {
        return Err(FunctionError::argument(
            2,
            format!("netnum {netnum} does not fit in {newbits} bits (0 to {largest})"),
        )
        .with_hint(format!(
            "use more newbits, or a netnum below {}",
            largest.saturating_add(1)
        )));
    }
    let host_bits = prefix.total_bits - new_length as u32;
    let subnet = prefix.network() | (netnum as u128).checked_shl(host_bits).unwrap_or(0);
    Ok(Value::String(format!(
        "{}/{new_length}",
        prefix.render_address(subnet)
    )))
}

fn cidrhost(arguments: &Arguments) -> FunctionResult {
    let prefix = prefix_argument(arguments)?;
    let hostnum = arguments.integer(1, "hostnum")?;
    let host_bits = prefix.total_bits - prefix.length;
    let largest = largest_in_bits(host_bits);
    let offset = if hostnum >= 0 {
        Some(hostnum as u128).filter(|offset| *offset <= largest)
    } else {
        let back = hostnum.unsigned_abs() as u128;
        largest
            .checked_add(1)
            .and_then(|count| count.checked_sub(back))
            .or_else(|| (host_bits == 128).then(|| u128::MAX - (back - 1)))
    };
    let Some(offset) = offset else {
        return Err(FunctionError::argument(
            1,
            format!(
                "host number {hostnum} does not fit in the {host_bits} host bits of /{}",
                prefix.length
            ),
        ));
    };
    Ok(Value::String(
        prefix.render_address(prefix.network() | offset),
    ))
}

fn cidrnetmask(arguments: &Arguments) -> FunctionResult {
    let prefix = prefix_argument(arguments)?;
    if prefix.total_bits != 32 {
        return Err(FunctionError::argument(
            0,
            "cidrnetmask only supports IPv4 prefixes",
        ));
    }
    Ok(Value::String(prefix.render_address(prefix.mask())))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets, each aligned to its own size, in
/// the order given (Terraform's allocation: a subnet starts at the first address after the
/// previous one that is a multiple of its size).
fn cidrsubnets(arguments: &Arguments) -> FunctionResult {
    let prefix = prefix_argument(arguments)?;
    let network = prefix.network();
    let host_bits = prefix.total_bits - prefix.length;
    let last = network | largest_in_bits(host_bits);
    let mut next: Option<u128> = Some(network);
    let mut previous = String::new();
    let mut subnets = Vec::new();
    for position in 1..arguments.len() {
        let newbits = arguments.integer(position, "newbits")?;
        if newbits < 1 {
            return Err(FunctionError::argument(
                position,
                "must extend prefix by at least one bit",
            ));
        }
        let length = u64::from(prefix.length) + newbits as u64;
        if length > u64::from(prefix.total_bits) {
            return Err(FunctionError::argument(
                position,
                format!(
                    "would extend prefix to {length} bits, which is too long for an {} address",
                    prefix.family()
                ),
            ));
        }
        let size_bits = prefix.total_bits - length as u32;
        let size = largest_in_bits(size_bits);
        let start = next.and_then(|candidate| {
            let aligned = candidate.checked_add(size)? & !size;
            Some(aligned).filter(|aligned| {
                *aligned >= network && aligned.checked_add(size).is_some_and(|end| end <= last)
            })
        });
        let Some(start) = start else {
            return Err(FunctionError::argument(
                position,
                format!("not enough remaining address space for a subnet with a prefix of {length} bits after {previous}"),
            ));
        };
        previous = format!("{}/{length}", prefix.render_address(start));
        subnets.push(Value::String(previous.clone()));
        next = (start | size)
            .checked_add(1)
            .filter(|after| *after <= prefix.all_ones());
    }
    Ok(Value::List(subnets))
}

#[cfg(test)]
pub(crate) mod tests_support {
    //! Helpers shared by the function families' tests.

    use provision_core::Value;

    use super::{call, FunctionError, FunctionResult};

    pub fn run(name: &str, arguments: Vec<Value>) -> FunctionResult {
        call(name, arguments).expect("function exists")
    }

    pub fn ok(name: &str, arguments: Vec<Value>) -> Value {
        run(name, arguments).unwrap_or_else(|error| panic!("{name} failed: {error:?}"))
    }

    #[allow(dead_code)]
    pub fn error(name: &str, arguments: Vec<Value>) -> FunctionError {
        run(name, arguments).expect_err("should fail")
    }

    pub fn s(text: &str) -> Value {
        Value::from(text)
    }

    pub fn n(number: f64) -> Value {
        Value::Number(number)
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }

    pub fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|item| s(item)).collect())
    }

    pub fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(key, value)| (key.to_string(), value.clone()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, arguments: Vec<Value>) -> FunctionResult {
        call(name, arguments).expect("function exists")
    }

    fn ok(name: &str, arguments: Vec<Value>) -> Value {
        run(name, arguments).unwrap_or_else(|error| panic!("{name} failed: {error:?}"))
    }

    fn error(name: &str, arguments: Vec<Value>) -> FunctionError {
        run(name, arguments).expect_err("should fail")
    }

    fn s(text: &str) -> Value {
        Value::from(text)
    }

    fn n(number: f64) -> Value {
        Value::Number(number)
    }

    fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|item| s(item)).collect())
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(key, value)| (key.to_string(), value.clone()))
                .collect(),
        )
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        let names: Vec<&str> = names().collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert!(call("nope", vec![]).is_none());
    }

    #[test]
    fn file_hashes_match_known_digests() {
        let directory = tempfile::tempdir().expect("temp dir");
        let path = directory.path().join("hello.txt");
        std::fs::write(&path, "hello world").expect("write");
        let path = s(path.to_str().expect("utf-8 path"));
        assert_eq!(ok("file", vec![path.clone()]), s("hello world"));
        assert_eq!(ok("filebase64", vec![path.clone()]), s("aGVsbG8gd29ybGQ="));
        assert_eq!(
            ok("filesha256", vec![path.clone()]),
            s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            ok("filebase64sha256", vec![path.clone()]),
            s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            ok("filemd5", vec![path.clone()]),
            s("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
        assert_eq!(ok("fileexists", vec![path]), Value::Bool(true));
        assert_eq!(
            ok("sha256", vec![s("hello world")]),
            s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            ok("base64sha256", vec![s("hello world")]),
            s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            ok("md5", vec![s("hello world")]),
            s("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
    }

    #[test]
    fn binary_files_hash_and_encode_but_do_not_read_as_text() {
        let directory = tempfile::tempdir().expect("temp dir");
        let path = directory.path().join("code.zip");
        std::fs::write(&path, [0u8, 159, 146, 150, 255]).expect("write");
        let path = s(path.to_str().expect("utf-8 path"));
        assert_eq!(ok("filebase64", vec![path.clone()]), s("AJ+Slv8="));
        assert!(error("file", vec![path.clone()]).message.contains("UTF-8"));
        assert_eq!(ok("filemd5", vec![path]).as_str().map(str::len), Some(32));
    }

    #[test]
    fn missing_files_name_the_path_and_unknown_paths_stay_unknown() {
        let failure = error("filebase64sha256", vec![s("no/such/lambda.zip")]);
        assert!(
            failure.message.contains("no/such/lambda.zip"),
            "{failure:?}"
        );
        assert_eq!(
            ok("fileexists", vec![s("no/such/lambda.zip")]),
            Value::Bool(false)
        );
        assert_eq!(ok("filemd5", vec![Value::Unknown]), Value::Unknown);
    }

    #[test]
    fn cidrsubnet_carves_ipv4_subnets() {
        let prefix = s("10.0.0.0/16");
        assert_eq!(
            ok("cidrsubnet", vec![prefix.clone(), n(8.0), n(2.0)]),
            s("10.0.2.0/24")
        );
        assert_eq!(
            ok("cidrsubnet", vec![prefix.clone(), n(4.0), n(15.0)]),
            s("10.0.240.0/20")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.1.2.3/16"), n(0.0), n(0.0)]),
            s("10.1.0.0/16")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("0.0.0.0/0"), n(32.0), n(1.0)]),
            s("0.0.0.1/32")
        );
        assert_eq!(
            ok(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(8.0), n(1.0)]
            ),
            s("fd00:fd12:3456:7801::/64")
        );
    }

    #[test]
    fn cidrsubnet_rejects_what_does_not_fit() {
        let too_big = error("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(300.0)]);
        assert_eq!(too_big.argument, Some(2));
        assert!(
            too_big.message.contains("300 does not fit in 8 bits"),
            "{too_big:?}"
        );
        let too_long = error("cidrsubnet", vec![s("10.0.0.0/30"), n(4.0), n(0.0)]);
        assert_eq!(too_long.argument, Some(1));
        assert!(too_long.message.contains("at most /32"));
        let bad_prefix = error("cidrsubnet", vec![s("10.0.0.0/33"), n(1.0), n(0.0)]);
        assert_eq!(bad_prefix.argument, Some(0));
        let not_cidr = error("cidrsubnet", vec![s("10.0.0.0"), n(1.0), n(0.0)]);
        assert!(not_cidr.message.contains("not a CIDR prefix"));
        let bad_address = error("cidrsubnet", vec![s("10.0.0.300/8"), n(1.0), n(0.0)]);
        assert!(bad_address.message.contains("not an IP address"));
        let negative = error("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(-1.0)]);
        assert_eq!(negative.argument, Some(2));
        let fractional = error("cidrsubnet", vec![s("10.0.0.0/16"), n(1.5), n(0.0)]);
        assert!(fractional.message.contains("whole number"));
    }

    #[test]
    fn cidrhost_and_netmask() {
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]),
            s("10.12.113.12")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.0.0.0/24"), n(-1.0)]),
            s("10.0.0.255")
        );
        assert_eq!(ok("cidrhost", vec![s("fd00::/64"), n(5.0)]), s("fd00::5"));
        let out_of_range = error("cidrhost", vec![s("10.0.0.0/24"), n(256.0)]);
        assert!(out_of_range.message.contains("8 host bits"));
        assert!(run("cidrhost", vec![s("10.0.0.0/24"), n(-257.0)]).is_err());
        assert_eq!(
            ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(ok("cidrnetmask", vec![s("0.0.0.0/0")]), s("0.0.0.0"));
        assert_eq!(
            ok("cidrnetmask", vec![s("10.0.0.0/32")]),
            s("255.255.255.255")
        );
        assert!(run("cidrnetmask", vec![s("fd00::/8")]).is_err());
    }

    #[test]
    fn format_verbs_and_widths() {
        assert_eq!(
            ok("format", vec![s("Hello, %s!"), s("Ander")]),
            s("Hello, Ander!")
        );
        assert_eq!(ok("format", vec![s("%03d"), n(7.0)]), s("007"));
        assert_eq!(ok("format", vec![s("%-4d|"), n(7.0)]), s("7   |"));
        assert_eq!(ok("format", vec![s("%5s"), s("ab")]), s("   ab"));
        assert_eq!(ok("format", vec![s("%.2f"), n(1.23456)]), s("1.23"));
        assert_eq!(ok("format", vec![s("%f"), n(1.0)]), s("1.000000"));
        assert_eq!(ok("format", vec![s("%q"), s("a\"b")]), s("\"a\\\"b\""));
        assert_eq!(ok("format", vec![s("%t"), Value::Bool(true)]), s("true"));
        assert_eq!(
            ok("format", vec![s("%v %v"), n(2.0), strings(&["a"])]),
            s("2 [\"a\"]")
        );
        assert_eq!(ok("format", vec![s("100%%")]), s("100%"));
        assert_eq!(
            ok("format", vec![s("%+d %05d"), n(3.0), n(-42.0)]),
            s("+3 -0042")
        );
        assert_eq!(
            ok("format", vec![s("%[2]s-%[1]s"), s("a"), s("b")]),
            s("b-a")
        );
        assert_eq!(ok("format", vec![s("%x"), n(255.0)]), s("ff"));
        assert!(error("format", vec![s("%d"), n(1.5)])
            .message
            .contains("whole number"));
        assert!(error("format", vec![s("%s %s"), s("a")])
            .message
            .contains("not enough"));
        assert!(error("format", vec![s("%s"), s("a"), s("b")])
            .message
            .contains("too many"));
        assert!(error("format", vec![s("%z"), s("a")])
            .message
            .contains("unsupported"));
    }

    #[test]
    fn formatlist_pairs_lists_and_repeats_scalars() {
        assert_eq!(
            ok("formatlist", vec![s("%s=%s"), strings(&["a", "b"]), s("x")]),
            strings(&["a=x", "b=x"])
        );
        assert!(run(
            "formatlist",
            vec![s("%s%s"), strings(&["a"]), strings(&["a", "b"])]
        )
        .is_err());
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            ok(
                "join",
                vec![s(","), strings(&["a", "b"]), list(vec![n(1.0)])]
            ),
            s("a,b,1")
        );
        assert_eq!(
            ok("split", vec![s(","), s("a,b,,c")]),
            strings(&["a", "b", "", "c"])
        );
        assert_eq!(ok("split", vec![s(","), s("")]), strings(&[""]));
        assert_eq!(ok("upper", vec![s("abc")]), s("ABC"));
        assert_eq!(ok("lower", vec![s("ABC")]), s("abc"));
        assert_eq!(
            ok("title", vec![s("hello world-wide web_x")]),
            s("Hello World-Wide Web_x")
        );
        assert_eq!(ok("replace", vec![s("a-b-c"), s("-"), s("_")]), s("a_b_c"));
        assert_eq!(
            ok("replace", vec![s("abcbb"), s("/b+/"), s("x")]),
            s("axcx")
        );
        assert_eq!(ok("trimspace", vec![s("  x \n")]), s("x"));
        assert_eq!(ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(
            ok("trimprefix", vec![s("helloworld"), s("hello")]),
            s("world")
        );
        assert_eq!(
            ok("trimsuffix", vec![s("helloworld"), s("world")]),
            s("hello")
        );
        assert_eq!(
            ok("startswith", vec![s("hello"), s("he")]),
            Value::Bool(true)
        );
        assert_eq!(
            ok("endswith", vec![s("hello"), s("he")]),
            Value::Bool(false)
        );
        assert_eq!(
            ok("substr", vec![s("hello world"), n(1.0), n(4.0)]),
            s("ello")
        );
        assert_eq!(
            ok("substr", vec![s("hello world"), n(-5.0), n(-1.0)]),
            s("world")
        );
        assert_eq!(ok("substr", vec![s("héllo"), n(1.0), n(1.0)]), s("é"));
        assert_eq!(ok("substr", vec![s("abc"), n(10.0), n(2.0)]), s(""));
        assert!(error("join", vec![s(","), s("abc")])
            .message
            .contains("must be a list"));
    }

    #[test]
    fn collection_functions() {
        assert_eq!(
            ok("concat", vec![strings(&["a"]), strings(&["b", "c"])]),
            strings(&["a", "b", "c"])
        );
        assert_eq!(
            ok(
                "merge",
                vec![
                    map(&[("a", n(1.0)), ("b", n(2.0))]),
                    Value::Null,
                    map(&[("b", n(3.0))])
                ]
            ),
            map(&[("a", n(1.0)), ("b", n(3.0))])
        );
        let table = map(&[("a", s("x"))]);
        assert_eq!(ok("lookup", vec![table.clone(), s("a")]), s("x"));
        assert_eq!(ok("lookup", vec![table.clone(), s("b"), s("d")]), s("d"));
        let missing = error("lookup", vec![table.clone(), s("b")]);
        assert_eq!(missing.argument, Some(1));
        assert_eq!(ok("length", vec![s("héllo")]), n(5.0));
        assert_eq!(ok("length", vec![strings(&["a", "b"])]), n(2.0));
        assert_eq!(ok("length", vec![table.clone()]), n(1.0));
        assert!(run("length", vec![n(1.0)]).is_err());
        assert_eq!(
            ok("element", vec![strings(&["a", "b", "c"]), n(4.0)]),
            s("b")
        );
        assert!(run("element", vec![list(vec![]), n(0.0)]).is_err());
        let pair = map(&[("b", n(2.0)), ("a", n(1.0))]);
        assert_eq!(ok("keys", vec![pair.clone()]), strings(&["a", "b"]));
        assert_eq!(ok("values", vec![pair.clone()]), list(vec![n(1.0), n(2.0)]));
        assert_eq!(ok("tolist", vec![strings(&["a"])]), strings(&["a"]));
        assert_eq!(
            ok("toset", vec![strings(&["b", "a", "b"])]),
            strings(&["a", "b"])
        );
        assert_eq!(
            ok("toset", vec![list(vec![n(3.0), n(1.0), n(3.0)])]),
            list(vec![n(1.0), n(3.0)])
        );
        assert_eq!(ok("tomap", vec![pair.clone()]), pair);
        assert!(run("tomap", vec![s("x")]).is_err());
        assert_eq!(
            ok("contains", vec![strings(&["a"]), s("a")]),
            Value::Bool(true)
        );
        assert_eq!(
            ok("contains", vec![list(vec![n(1.0)]), s("1")]),
            Value::Bool(false)
        );
        assert_eq!(
            ok("distinct", vec![strings(&["b", "a", "b"])]),
            strings(&["b", "a"])
        );
        assert_eq!(
            ok(
                "flatten",
                vec![list(vec![
                    strings(&["a"]),
                    list(vec![strings(&["b"]), s("c")])
                ])]
            ),
            strings(&["a", "b", "c"])
        );
        assert_eq!(
            ok(
                "zipmap",
                vec![strings(&["a", "b"]), list(vec![n(1.0), n(2.0)])]
            ),
            pair
        );
        assert!(run("zipmap", vec![strings(&["a"]), list(vec![])]).is_err());
        assert_eq!(
            ok("slice", vec![strings(&["a", "b", "c"]), n(1.0), n(3.0)]),
            strings(&["b", "c"])
        );
        assert!(run("slice", vec![strings(&["a"]), n(0.0), n(2.0)]).is_err());
        assert_eq!(
            ok("reverse", vec![strings(&["a", "b"])]),
            strings(&["b", "a"])
        );
        assert_eq!(
            ok("sort", vec![list(vec![s("b"), s("a"), n(10.0)])]),
            strings(&["10", "a", "b"])
        );
        assert_eq!(ok("index", vec![strings(&["a", "b"]), s("b")]), n(1.0));
        assert!(run("index", vec![strings(&["a"]), s("z")]).is_err());
        assert_eq!(
            ok(
                "compact",
                vec![list(vec![s("a"), s(""), Value::Null, s("b")])]
            ),
            strings(&["a", "b"])
        );
        assert_eq!(ok("one", vec![list(vec![])]), Value::Null);
        assert_eq!(ok("one", vec![strings(&["a"])]), s("a"));
        assert!(run("one", vec![strings(&["a", "b"])]).is_err());
        assert_eq!(
            ok("coalescelist", vec![list(vec![]), strings(&["a"])]),
            strings(&["a"])
        );
        assert_eq!(ok("coalesce", vec![Value::Null, s(""), s("b")]), s("b"));
        assert!(run("coalesce", vec![Value::Null, s("")]).is_err());
    }

    #[test]
    fn number_functions() {
        assert_eq!(ok("max", vec![n(1.0), n(5.0), s("3")]), n(5.0));
        assert_eq!(ok("min", vec![n(1.0), n(-5.0)]), n(-5.0));
        assert_eq!(ok("abs", vec![n(-2.5)]), n(2.5));
        assert_eq!(ok("ceil", vec![n(1.2)]), n(2.0));
        assert_eq!(ok("floor", vec![n(1.8)]), n(1.0));
        assert_eq!(ok("sum", vec![list(vec![n(1.0), n(2.5)])]), n(3.5));
        assert!(run("sum", vec![list(vec![])]).is_err());
        assert_eq!(
            ok("range", vec![n(3.0)]),
            list(vec![n(0.0), n(1.0), n(2.0)])
        );
        assert_eq!(
            ok("range", vec![n(1.0), n(4.0)]),
            list(vec![n(1.0), n(2.0), n(3.0)])
        );
        assert_eq!(
            ok("range", vec![n(4.0), n(1.0)]),
            list(vec![n(4.0), n(3.0), n(2.0)])
        );
        assert_eq!(
            ok("range", vec![n(0.0), n(10.0), n(5.0)]),
            list(vec![n(0.0), n(5.0)])
        );
        assert!(run("range", vec![n(0.0), n(1.0), n(0.0)]).is_err());
        assert!(run("range", vec![n(1e9)]).is_err());
    }

    #[test]
    fn conversions() {
        assert_eq!(ok("tostring", vec![n(3.0)]), s("3"));
        assert_eq!(ok("tostring", vec![Value::Bool(false)]), s("false"));
        assert!(run("tostring", vec![strings(&[])]).is_err());
        assert_eq!(ok("tonumber", vec![s("1.5")]), n(1.5));
        assert!(run("tonumber", vec![s("abc")]).is_err());
        assert!(run("tonumber", vec![s("inf")]).is_err());
        assert_eq!(ok("tobool", vec![s("true")]), Value::Bool(true));
        assert!(run("tobool", vec![s("yes")]).is_err());
    }

    #[test]
    fn json_and_base64() {
        let value = map(&[
            ("b", list(vec![n(1.0), Value::Bool(true), Value::Null])),
            ("a", s("<x>")),
        ]);
        let text = ok("jsonencode", vec![value.clone()]);
        assert_eq!(text, s(r#"{"a":"\u003cx\u003e","b":[1,true,null]}"#));
        assert_eq!(ok("jsondecode", vec![text]), value);
        assert!(run("jsondecode", vec![s("{")]).is_err());
        assert_eq!(
            ok("jsonencode", vec![list(vec![n(1.0), Value::Unknown])]),
            Value::Unknown
        );
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("héllo", "aMOpbGxv"),
        ] {
            assert_eq!(ok("base64encode", vec![s(plain)]), s(encoded));
            assert_eq!(ok("base64decode", vec![s(encoded)]), s(plain));
        }
        assert!(run("base64decode", vec![s("Zm9")]).is_err());
        assert!(run("base64decode", vec![s("Zm9*")]).is_err());
    }

    #[test]
    fn unknown_arguments() {
        assert_eq!(
            ok("join", vec![s(","), list(vec![s("a"), Value::Unknown])]),
            Value::Unknown
        );
        assert_eq!(
            ok("length", vec![list(vec![Value::Unknown, Value::Unknown])]),
            n(2.0)
        );
        assert_eq!(ok("length", vec![Value::Unknown]), Value::Unknown);
        assert_eq!(ok("coalesce", vec![s("a"), Value::Unknown]), s("a"));
        assert_eq!(
            ok("coalesce", vec![Value::Null, Value::Unknown, s("a")]),
            Value::Unknown
        );
        assert_eq!(
            ok("cidrsubnet", vec![Value::Unknown, n(8.0), n(1.0)]),
            Value::Unknown
        );
        assert_eq!(
            ok("keys", vec![map(&[("a", Value::Unknown)])]),
            strings(&["a"])
        );
        assert_eq!(
            ok("flatten", vec![list(vec![Value::Unknown])]),
            Value::Unknown
        );
        assert_eq!(
            ok("lookup", vec![map(&[("a", Value::Unknown)]), s("a")]),
            Value::Unknown
        );
    }

    #[test]
    fn arity_errors_name_the_signature() {
        let failure = error("join", vec![s(",")]);
        assert_eq!(failure.argument, None);
        assert!(failure.message.contains("expected at least 2, got 1"));
        assert_eq!(
            failure.hint.as_deref(),
            Some("usage: join(separator, lists...)")
        );
        assert!(error("lookup", vec![s("a")])
            .message
            .contains("expected 2 to 3"));
    }
}
