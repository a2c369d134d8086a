//! Date and time functions: `formatdate`, `timeadd`, `timecmp` and the RFC 3339 timestamps
//! they read and write (`timestamp` and `plantimestamp` are the evaluator's: they depend on the
//! phase). Civil dates are computed here (proleptic Gregorian, days from 1970-01-01).

use provision_core::Value;

use super::{Arguments, FunctionError, FunctionResult};

/// An instant with the UTC offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub seconds: i64,
    pub nanos: u32,
    /// Offset east of UTC, in seconds.
    pub offset: i32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date (year, month 1-12, day 1-31) of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Local civil fields of a timestamp.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: usize,
}

impl Timestamp {
    /// Parses RFC 3339 (`2006-01-02T15:04:05Z`, `...05.999+07:00`), as Go's `time.RFC3339`.
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let invalid = |detail: &str| format!("not a valid RFC3339 timestamp: {detail}");
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>, what: &str| -> Result<u32, String> {
            let part = text.get(range.clone()).unwrap_or("");
            if part.len() != range.len() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(&format!(
                    "cannot use {:?} as {what}",
                    text.get(range.start..).unwrap_or("")
                )));
            }
            Ok(part.parse().unwrap_or(0))
        };
        let year = digits(0..4, "year")?;
        if bytes.get(4) != Some(&b'-') {
            return Err(invalid("missing '-' after the year"));
        }
        let month = digits(5..7, "month")?;
        if bytes.get(7) != Some(&b'-') {
            return Err(invalid("missing '-' after the month"));
        }
        let day = digits(8..10, "day")?;
        if bytes.get(10) != Some(&b'T') {
            return Err(invalid("missing required time introducer 'T'"));
        }
        let hour = digits(11..13, "hour")?;
        if bytes.get(13) != Some(&b':') {
            return Err(invalid("missing ':' after the hour"));
        }
        let minute = digits(14..16, "minute")?;
        if bytes.get(16) != Some(&b':') {
            return Err(invalid("missing ':' after the minute"));
        }
        let second = digits(17..19, "second")?;
        let mut position = 19;
        let mut nanos = 0u32;
        if bytes.get(position) == Some(&b'.') {
            let start = position + 1;
            let mut end = start;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return Err(invalid("missing fractional seconds after '.'"));
            }
            let fraction = &text[start..end.min(start + 9)];
            nanos = format!("{fraction:0<9}").parse().unwrap_or(0);
            position = end;
        }
        let offset = match bytes.get(position) {
            Some(b'Z') if position + 1 == bytes.len() => 0,
            Some(sign @ (b'+' | b'-'))
                if bytes.len() == position + 6 && bytes[position + 3] == b':' =>
            {
                let hours = digits(position + 1..position + 3, "zone hour")? as i32;
                let minutes = digits(position + 4..position + 6, "zone minute")? as i32;
                let magnitude = hours * 3600 + minutes * 60;
                if *sign == b'-' {
                    -magnitude
                } else {
                    magnitude
                }
            }
            _ => {
                return Err(invalid(
                    "missing or malformed time zone offset (Z or +hh:mm)",
                ))
            }
        };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
            return Err(invalid("day out of range"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(invalid("time out of range"));
        }
        let days = days_from_civil(i64::from(year), month, day);
        let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        Ok(Timestamp {
            seconds: local - i64::from(offset),
            nanos,
            offset,
        })
    }

    /// The current time in UTC, whole seconds.
    pub fn now() -> Timestamp {
        let elapsed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            seconds: elapsed.as_secs() as i64,
            nanos: 0,
            offset: 0,
        }
    }

    fn civil(&self) -> Civil {
        let local = self.seconds + i64::from(self.offset);
        let days = local.div_euclid(86_400);
        let second_of_day = local.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: second_of_day / 3600,
            minute: second_of_day / 60 % 60,
            second: second_of_day % 60,
            weekday: (days + 4).rem_euclid(7) as usize,
        }
    }

    fn zone(&self, colon: bool) -> String {
        let sign = if self.offset < 0 { '-' } else { '+' };
        let magnitude = self.offset.unsigned_abs();
        let (hours, minutes) = (magnitude / 3600, magnitude / 60 % 60);
        if colon {
            format!("{sign}{hours:02}:{minutes:02}")
        } else {
            format!("{sign}{hours:02}{minutes:02}")
        }
    }

    /// Go's `time.RFC3339`: no fractional seconds, `Z` for UTC.
    pub fn rfc3339(&self) -> String {
        let civil = self.civil();
        let zone = if self.offset == 0 {
            "Z".to_string()
        } else {
            self.zone(true)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second
        )
    }

    /// Go's `time.RFC3339Nano`: fractional seconds without trailing zeros.
    pub fn rfc3339_nanos(&self) -> String {
        let whole = self.rfc3339();
        if self.nanos == 0 {
            return whole;
        }
        let fraction = format!("{:09}", self.nanos);
        let fraction = fraction.trim_end_matches('0');
        format!("{}.{fraction}{}", &whole[..19], &whole[19..])
    }

    fn add_nanos(&self, delta: i128) -> Timestamp {
        let total = i128::from(self.seconds) * 1_000_000_000 + i128::from(self.nanos) + delta;
        Timestamp {
            seconds: total.div_euclid(1_000_000_000) as i64,
            nanos: total.rem_euclid(1_000_000_000) as u32,
            offset: self.offset,
        }
    }

    fn instant(&self) -> (i64, u32) {
        (self.seconds, self.nanos)
    }
}

fn timestamp_argument(
    arguments: &Arguments,
    position: usize,
    label: &str,
) -> Result<Timestamp, FunctionError> {
    let text = arguments.string(position, label)?;
    Timestamp::parse(&text).map_err(|message| FunctionError::argument(position, message))
}

/// `formatdate(spec, timestamp)` with Terraform's format verbs.
pub(super) fn formatdate(arguments: &Arguments) -> FunctionResult {
    let spec = arguments.string(0, "spec")?;
    let timestamp = timestamp_argument(arguments, 1, "timestamp")?;
    render(&spec, &timestamp)
        .map(Value::String)
        .map_err(|message| FunctionError::argument(0, message))
}

fn render(spec: &str, timestamp: &Timestamp) -> Result<String, String> {
    let civil = timestamp.civil();
    let characters: Vec<char> = spec.chars().collect();
    let mut output = String::new();
    let mut position = 0;
    while position < characters.len() {
        let character = characters[position];
        if character == '\'' {
            // A quoted literal; '' inside (or alone) is one quote.
            if characters.get(position + 1) == Some(&'\'') {
                output.push('\'');
                position += 2;
                continue;
            }
            position += 1;
            loop {
                match characters.get(position) {
                    None => return Err("unterminated literal '".to_string()),
                    Some('\'') if characters.get(position + 1) == Some(&'\'') => {
                        output.push('\'');
                        position += 2;
                    }
                    Some('\'') => {
                        position += 1;
                        break;
                    }
                    Some(other) => {
                        output.push(*other);
                        position += 1;
                    }
                }
            }
            continue;
        }
        if !character.is_ascii_alphabetic() {
            output.push(character);
            position += 1;
            continue;
        }
        let mut end = position;
        while characters.get(end) == Some(&character) {
            end += 1;
        }
        let verb: String = characters[position..end].iter().collect();
        let run = end - position;
        position = end;
        let hour12 = match civil.hour % 12 {
            0 => 12,
            other => other,
        };
        let text = match (character, run) {
            ('Y', 4) => format!("{:04}", civil.year),
            ('Y', 2) => format!("{:02}", civil.year.rem_euclid(100)),
            ('Y', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: year must either be \"YY\" or \"YYYY\""
                ))
            }
            ('M', 4) => MONTHS[civil.month as usize - 1].to_string(),
            ('M', 3) => MONTHS[civil.month as usize - 1][..3].to_string(),
            ('M', 2) => format!("{:02}", civil.month),
            ('M', 1) => civil.month.to_string(),
            ('M', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: month must be \"M\", \"MM\", \"MMM\", or \"MMMM\""
                ))
            }
            ('D', 2) => format!("{:02}", civil.day),
            ('D', 1) => civil.day.to_string(),
            ('D', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: day of month must either be \"D\" or \"DD\""
                ))
            }
            ('E', 4) => WEEKDAYS[civil.weekday].to_string(),
            ('E', 3) => WEEKDAYS[civil.weekday][..3].to_string(),
            ('E', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: day of week must either be \"EEE\" or \"EEEE\""
                ))
            }
            ('h', 2) => format!("{:02}", civil.hour),
            ('h', 1) => civil.hour.to_string(),
            ('H', 2) => format!("{hour12:02}"),
            ('H', 1) => hour12.to_string(),
            ('h' | 'H', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: 24-hour must either be \"h\" or \"hh\", 12-hour \"H\" or \"HH\""
                ))
            }
            ('A', 2) => if civil.hour < 12 { "AM" } else { "PM" }.to_string(),
            ('a', 2) => if civil.hour < 12 { "am" } else { "pm" }.to_string(),
            ('A' | 'a', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: must be \"AA\" or \"aa\""
                ))
            }
            ('m', 2) => format!("{:02}", civil.minute),
            ('m', 1) => civil.minute.to_string(),
            ('m', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: minute must either be \"m\" or \"mm\""
                ))
            }
            ('s', 2) => format!("{:02}", civil.second),
            ('s', 1) => civil.second.to_string(),
            ('s', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: second must either be \"s\" or \"ss\""
                ))
            }
            ('Z', 1) if timestamp.offset == 0 => "Z".to_string(),
            ('Z', 1) | ('Z', 5) => timestamp.zone(true),
            ('Z', 3) if timestamp.offset == 0 => "UTC".to_string(),
            ('Z', 3) | ('Z', 4) => timestamp.zone(false),
            ('Z', _) => {
                return Err(format!(
                    "invalid date format verb {verb:?}: time zone must be \"Z\", \"ZZZ\", \"ZZZZ\", or \"ZZZZZ\""
                ))
            }
            _ => return Err(format!("invalid date format verb {:?}", character.to_string())),
        };
        output.push_str(&text);
    }
    Ok(output)
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(text: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|character: char| !(character.is_ascii_digit() || character == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        let amount: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|character: char| character.is_ascii_digit() || character == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            other => return Err(format!("time: unknown unit {other:?} in duration {text:?}")),
        };
        total += amount * scale;
    }
    let nanos = total.round() as i128;
    Ok(if negative { -nanos } else { nanos })
}

pub(super) fn timeadd(arguments: &Arguments) -> FunctionResult {
    let timestamp = timestamp_argument(arguments, 0, "timestamp")?;
    let duration = arguments.string(1, "duration")?;
    let nanos = parse_duration(&duration).map_err(|message| FunctionError::argument(1, message))?;
    Ok(Value::String(timestamp.add_nanos(nanos).rfc3339()))
}

pub(super) fn timecmp(arguments: &Arguments) -> FunctionResult {
    let left = timestamp_argument(arguments, 0, "timestamp_a")?;
    let right = timestamp_argument(arguments, 1, "timestamp_b")?;
    Ok(Value::Number(match left.instant().cmp(&right.instant()) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{n, ok, run, s};
    use super::*;

    fn formatted(spec: &str, timestamp: &str) -> Value {
        ok("formatdate", vec![s(spec), s(timestamp)])
    }

    #[test]
    fn formatdate_matches_terraforms_examples() {
        assert_eq!(
            formatted("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z"),
            s("02 Jan 2018 23:12 UTC")
        );
        assert_eq!(
            formatted("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z"),
            s("Tuesday, 02-Jan-18 23:12:01 UTC")
        );
        assert_eq!(
            formatted("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"),
            s("Tue, 02 Jan 2018 23:12:01 -0800")
        );
        assert_eq!(
            formatted("MMM DD, YYYY", "2018-01-02T23:12:01Z"),
            s("Jan 02, 2018")
        );
        assert_eq!(formatted("HH:mmaa", "2018-01-02T23:12:01Z"), s("11:12pm"));
        assert_eq!(
            formatted("h:mm AA Z ZZZZ ZZZZZ", "2018-01-02T03:04:05+05:30"),
            s("3:04 AM +05:30 +0530 +05:30")
        );
        assert_eq!(
            formatted("'quoted' ''YYYY M D H h m s", "2018-01-02T03:04:05.123Z"),
            s("quoted '2018 1 2 3 3 4 5")
        );
        assert_eq!(
            formatted("YY MMMM", "2018-09-02T03:04:05Z"),
            s("18 September")
        );
        assert_eq!(
            formatted("Z ZZZ ZZZZ ZZZZZ", "2018-01-02T23:12:01Z"),
            s("Z UTC +0000 +00:00")
        );
        assert_eq!(
            formatted("DD.MM.YYYY, D/M", "2018-01-02T23:12:01Z"),
            s("02.01.2018, 2/1")
        );
        assert_eq!(
            formatted("YYYY-MM-DD'T'hh:mm:ssZ", "2018-01-02T23:12:01.123456+00:00"),
            s("2018-01-02T23:12:01Z")
        );
        assert_eq!(formatted("EEEE", "2000-02-29T00:00:00Z"), s("Tuesday"));
        let verb = run("formatdate", vec![s("Y"), s("2018-01-02T23:12:01Z")]).unwrap_err();
        assert!(
            verb.message
                .contains("year must either be \"YY\" or \"YYYY\""),
            "{verb:?}"
        );
        assert_eq!(verb.argument, Some(0));
        let letter = run("formatdate", vec![s("hello"), s("2018-01-02T23:12:01Z")]).unwrap_err();
        assert!(
            letter.message.contains("invalid date format verb \"e\""),
            "{letter:?}"
        );
        let date_only = run("formatdate", vec![s("YYYY"), s("2018-01-02")]).unwrap_err();
        assert!(date_only
            .message
            .contains("missing required time introducer 'T'"));
        assert_eq!(date_only.argument, Some(1));
    }

    #[test]
    fn timeadd_and_timecmp() {
        let add = |timestamp: &str, duration: &str| ok("timeadd", vec![s(timestamp), s(duration)]);
        assert_eq!(
            add("2017-11-22T00:00:00Z", "10m"),
            s("2017-11-22T00:10:00Z")
        );
        assert_eq!(
            add("2017-11-22T00:00:00+05:00", "-1h30m"),
            s("2017-11-21T22:30:00+05:00")
        );
        assert_eq!(
            add("2017-11-22T00:00:00.5Z", "1.5s"),
            s("2017-11-22T00:00:02Z")
        );
        assert_eq!(
            add("2017-11-22T00:00:00Z", "1h1m1s1ms1us1ns"),
            s("2017-11-22T01:01:01Z")
        );
        assert_eq!(
            add("2017-11-22T23:59:59.999Z", "2ms"),
            s("2017-11-23T00:00:00Z")
        );
        assert_eq!(
            add("2016-02-28T12:00:00Z", "24h"),
            s("2016-02-29T12:00:00Z")
        );
        let unit = run("timeadd", vec![s("2017-11-22T00:00:00Z"), s("1d")]).unwrap_err();
        assert!(unit.message.contains("unknown unit \"d\""), "{unit:?}");
        assert!(run("timeadd", vec![s("2017-11-22T00:00:00Z"), s("")]).is_err());
        let compare = |a: &str, b: &str| ok("timecmp", vec![s(a), s(b)]);
        assert_eq!(
            compare("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"),
            n(0.0)
        );
        assert_eq!(
            compare("2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00"),
            n(0.0)
        );
        assert_eq!(
            compare("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z"),
            n(1.0)
        );
        assert_eq!(
            compare("2017-11-22T00:00:00Z", "2017-11-22T00:00:00.1Z"),
            n(-1.0)
        );
        let bad = run("timecmp", vec![s("2017-11-22T00:00:00Z"), s("bad")]).unwrap_err();
        assert_eq!(bad.argument, Some(1));
        assert!(run(
            "timecmp",
            vec![s("2017-02-30T00:00:00Z"), s("2017-02-28T00:00:00Z")]
        )
        .is_err());
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-719_468, -1, 0, 1, 10_957, 11_016, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
